list(APPEND GMEMSIM_SIM_SOURCES explore/diff.c explore/program.c explore/explore.c
     explore/explore_cmd.c explore/explore_kvm.c explore/explore_report.c
     explore/shrink.c)
