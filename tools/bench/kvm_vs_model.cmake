# kvm_vs_model: one single-threaded trace, N fresh runs on /dev/kvm and on the
# model; calls/s of each and the ratio (docs/figures.md, "kvm").
add_executable(kvm_vs_model ${CMAKE_CURRENT_LIST_DIR}/kvm_vs_model.c)
target_link_libraries(kvm_vs_model PRIVATE gmemsim_sim)
target_compile_definitions(kvm_vs_model PRIVATE
  GMEMSIM_CONFORMANCE_DIR="${CMAKE_SOURCE_DIR}/traces/conformance")
