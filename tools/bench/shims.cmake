# shims_bench: ns/op of the kernel-shims primitives free-running vs the raw
# pthread/libc operation each wraps (prints only).
add_executable(shims_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/shims_bench.c)
target_link_libraries(shims_bench PRIVATE gmemsim_shims)
