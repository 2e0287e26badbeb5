# virt/kvm: the generic KVM model (paths relative to model/).
list(APPEND GMEMSIM_MODEL_SOURCES
  virt/kvm/kvm_main.c
  virt/kvm/kvm_dev.c
  virt/kvm/memslots.c
  virt/kvm/attributes.c
  virt/kvm/guest_memfd.c
  virt/kvm/gmem_populate.c
  virt/kvm/fdtable.c
  virt/kvm/gmem_inplace.c
  virt/kvm/gmem_hugetlb.c
  virt/kvm/gmem_link.c
)
