# conversion_bench: the issue-7 conversion workload under two backings vs
# in-place conversion (prints figures only).
add_executable(conversion_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/conversion_bench.c)
target_link_libraries(conversion_bench PRIVATE gmemsim_sim)
