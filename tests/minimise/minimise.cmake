# Minimiser (issue 4, "Replay and minimisation"): trace shrinking
# (sim/explore/shrink.c) and the racing pair of the swimlane story
# (sim/report/story.c).  Label unit.
gmemsim_add_test(NAME minimise_racing_pair
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/racing_pair_test.c LIBS gmemsim_sim LABELS unit)
gmemsim_add_test(NAME minimise_shrink
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/shrink_test.c LIBS gmemsim_sim LABELS unit TIMEOUT 300
  ARGS ${PROJECT_SOURCE_DIR})

# The CLI: explore/minimize --shrink-trace, --jobs 1/2, replay of the result.
if(TARGET gmemsim)
  foreach(row
      "demo|traces/demo/punch-loses-write.trace||0"
      "demo_noisy|tests/minimise/traces/demo-noisy.trace||1"
      "zoo_seq|tests/minimise/traces/punch-no-invalidate-seq.trace|punch-no-invalidate|1"
      "zoo_threads|tests/minimise/traces/punch-no-invalidate-threads.trace|punch-no-invalidate|1")
    string(REPLACE "|" ";" f "${row}")
    list(GET f 0 name)
    list(GET f 1 trace)
    list(GET f 2 inject)
    list(GET f 3 fewer)
    add_test(NAME minimise_cli_${name}
             COMMAND ${CMAKE_COMMAND} -DGMEMSIM=$<TARGET_FILE:gmemsim>
                     -DTRACE=${PROJECT_SOURCE_DIR}/${trace} -DINJECT=${inject} -DFEWER=${fewer}
                     -DOUT=${CMAKE_CURRENT_BINARY_DIR}/minimise_cli_${name}
                     -P ${CMAKE_CURRENT_LIST_DIR}/shrink_cli.cmake)
    set_tests_properties(minimise_cli_${name} PROPERTIES LABELS unit TIMEOUT 300)
  endforeach()
endif()

# A use-after-free names the free as its cause (shim_report_cause()): the
# story's racing pair is the punch thread's folio free and the vCPU's read
# through the stale SPTE, not two unrelated lock acquisitions.
if(TARGET gmemsim)
  add_test(NAME story_cause_pair_uaf
           COMMAND gmemsim explore ${PROJECT_SOURCE_DIR}/traces/races/punch-vs-fault.trace
                   --seed 1 --inject punch-truncate-first)
  set_tests_properties(story_cause_pair_uaf PROPERTIES LABELS unit TIMEOUT 120
    WILL_FAIL FALSE
    PASS_REGULAR_EXPRESSION "racing pair \\(\\*\\*\\): T0 atomic @folio\\.c:[0-9]+ on #[0-9]+\n +then T[12] ")
endif()
