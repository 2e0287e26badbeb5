# Conformance tests against the real /dev/kvm (label kvm; exit 77 = skip
# when /dev/kvm or a capability is missing).  They link gmemsim_kvm_backend,
# the kvm backend on its own (sim/backend/kvm/sources.cmake); the same
# sources are also part of gmemsim_sim.
foreach(t test_kvm_gmem test_kvm_memslot test_kvm_backend)
  gmemsim_add_test(NAME ${t}
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/kvm/${t}.c
            ${CMAKE_CURRENT_SOURCE_DIR}/kvm/kvm_harness.c
    LIBS gmemsim_kvm_backend
    LABELS kvm
    TIMEOUT 120)
endforeach()
