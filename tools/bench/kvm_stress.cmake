# kvm_stress: host threads punch/allocate/touch a gmem while a vCPU reads and
# writes it through a GMEM_ONLY slot; real kernel and model (free executor).
add_executable(kvm_stress ${CMAKE_CURRENT_LIST_DIR}/kvm_stress.c)
target_link_libraries(kvm_stress PRIVATE gmemsim_sim)
# Short runs (label kvm): invariant violations fail; 77 = no /dev/kvm.
add_test(NAME kvm_stress_kernel COMMAND kvm_stress --backend kvm -d 2 -q)
add_test(NAME kvm_stress_model COMMAND kvm_stress --backend model -d 2 -q)
set_tests_properties(kvm_stress_kernel kvm_stress_model PROPERTIES
                     LABELS kvm TIMEOUT 60 SKIP_RETURN_CODE 77)
# The checks are alive: with punches recorded wrongly the run must fail.
add_test(NAME kvm_stress_selfcheck COMMAND kvm_stress --backend model -d 1 -q --broken-punch)
set_tests_properties(kvm_stress_selfcheck PROPERTIES LABELS kvm TIMEOUT 60 WILL_FAIL TRUE)
