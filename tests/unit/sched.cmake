# sim/sched unit tests (gmemsim_sched: the scheduler plus the shims).
gmemsim_add_test(NAME sched_core_test SOURCES unit/sched_core_test.c
                 LIBS gmemsim_sched LABELS unit TIMEOUT 120)
gmemsim_add_test(NAME sched_search_test SOURCES unit/sched_search_test.c
                 LIBS gmemsim_sched LABELS unit TIMEOUT 120)
