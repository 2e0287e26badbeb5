# model/arch/x86: the x86 MMU model (paths relative to model/).
list(APPEND GMEMSIM_MODEL_SOURCES
  arch/x86/kvm/x86.c
  arch/x86/kvm/svm/sev.c
  arch/x86/kvm/vmx/tdx.c
  arch/x86/kvm/mmu/mmu.c
  arch/x86/kvm/mmu/tdp_mmu.c
  arch/x86/kvm/mmu/page_fault.c
  arch/x86/kvm/mmu/guest_access.c
  arch/x86/kvm/mmu/invariants.c
)
