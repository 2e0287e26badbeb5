# tools/bench: x86 MMU model benchmark (prints guest faults/s and the cost of
# KVM_SET_MEMORY_ATTRIBUTES over 64 GiB).
add_executable(mmu_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/mmu_bench.c)
target_link_libraries(mmu_bench PRIVATE gmemsim_sim)
