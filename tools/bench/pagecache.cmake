# pagecache_bench: metadata bytes per cached page and page-cache ops/s (prints only).
add_executable(pagecache_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/pagecache_bench.c)
target_link_libraries(pagecache_bench PRIVATE gmemsim_model)
