# zoo_bench: the bug zoo's detection benchmark (issue 6): executions and
# seconds to detection per entry and strategy vs free-running stress; writes
# docs/zoo-detection.md with -o (prints figures; not a test).
add_executable(zoo_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/zoo_bench.c)
target_link_libraries(zoo_bench PRIVATE gmemsim_sim)
target_compile_definitions(zoo_bench PRIVATE
  GMEMSIM_ZOO_DIR="${PROJECT_SOURCE_DIR}/traces/zoo")
