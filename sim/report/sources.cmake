list(APPEND GMEMSIM_SIM_SOURCES report/story.c report/timeline.c)
