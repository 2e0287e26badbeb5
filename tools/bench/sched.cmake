# sched_bench: scheduler executions/s, ns/step and replay fidelity (prints only).
add_executable(sched_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/sched_bench.c)
target_link_libraries(sched_bench PRIVATE gmemsim_sched)
