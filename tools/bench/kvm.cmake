# kvm_bench: real-kernel ops/s of a single-threaded guest_memfd sequence.
add_executable(kvm_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/kvm_bench.c)
target_link_libraries(kvm_bench PRIVATE gmemsim_kvm_backend)
