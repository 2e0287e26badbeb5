# sim/sched: deterministic scheduler, executors, strategies, replay, minimiser.
set(GMEMSIM_SCHED_SOURCES
  sched/core.c
  sched/log.c
  sched/fiber.c
  sched/switch_x86_64.S
  sched/baton.c
  sched/free.c
  sched/schedule.c
  sched/strategy.c
  sched/dfs.c
  sched/search.c
  sched/minimise.c)
list(APPEND GMEMSIM_SIM_SOURCES ${GMEMSIM_SCHED_SOURCES})

# The scheduler alone (shims only, no model): for its tests and benchmark,
# so they build while other parts of gmemsim_sim are in flux.  Link either
# this or gmemsim_sim into one binary, not both.
list(TRANSFORM GMEMSIM_SCHED_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
add_library(gmemsim_sched STATIC ${GMEMSIM_SCHED_SOURCES})
target_include_directories(gmemsim_sched PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(gmemsim_sched PUBLIC gmemsim_shims Threads::Threads)
