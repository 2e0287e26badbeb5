# Bug zoo (label `zoo`): every entry of `gmemsim zoo list` explores clean on
# the correct model and is reported by a generic checker with its defect
# injected (sim/zoo/zoo.c, traces/zoo/).  Replaces the old conf_zoo_* tests.

# A BUG under a held lock ends the run with the BUG reported (b09-*), on
# every executor; a regression hangs until the timeout.
gmemsim_add_test(NAME zoo_bug_under_lock SOURCES zoo/bug_abandon_test.c
                 LIBS gmemsim_sched LABELS zoo unit TIMEOUT 60)
if(TARGET gmemsim)
  # The whole zoo, fixed seed: a few tenths of a second per entry under ASan.
  add_test(NAME zoo_run COMMAND gmemsim zoo run)
  set_tests_properties(zoo_run PROPERTIES LABELS zoo TIMEOUT 120)

  # The zoo's verdict depends on the checkers: with the one checker that
  # reports punch-no-end switched off, the run must say "missed" and exit 1
  # (300 executions: the sequential defect fails on every one of them).
  add_test(NAME zoo_disabled_checker_missed
           COMMAND gmemsim zoo run punch-no-end --disable-checker protocol -n 300)
  set_tests_properties(zoo_disabled_checker_missed PROPERTIES LABELS zoo TIMEOUT 60
                       WILL_FAIL TRUE)
  add_test(NAME zoo_disabled_checker_says_missed
           COMMAND gmemsim zoo run punch-no-end --disable-checker protocol -n 300)
  set_tests_properties(zoo_disabled_checker_says_missed PROPERTIES LABELS zoo TIMEOUT 60
                       PASS_REGULAR_EXPRESSION "punch-no-end .*MISSED")

  # A race entry through explore itself: --inject takes every zoo name.
  add_test(NAME zoo_explore_inject_race
           COMMAND gmemsim explore ${PROJECT_SOURCE_DIR}/traces/zoo/punch-truncate-first.trace
                   --inject punch-truncate-first -s 1 -n 2000 -q --no-minimize --json)
  set_tests_properties(zoo_explore_inject_race PROPERTIES LABELS zoo TIMEOUT 60
                       PASS_REGULAR_EXPRESSION "\"violation\":true")
  add_test(NAME zoo_explore_unknown_inject
           COMMAND gmemsim explore ${PROJECT_SOURCE_DIR}/traces/zoo/punch-no-end.trace
                   --inject no-such-defect)
  set_tests_properties(zoo_explore_unknown_inject PROPERTIES LABELS zoo TIMEOUT 30
                       PASS_REGULAR_EXPRESSION "no defect 'no-such-defect'")

  # docs/zoo.md lists exactly the entries of `gmemsim zoo list --json`.
  add_test(NAME zoo_docs_in_sync
           COMMAND ${CMAKE_COMMAND} -DGMEMSIM=$<TARGET_FILE:gmemsim>
                   -DDOC=${PROJECT_SOURCE_DIR}/docs/zoo.md
                   -P ${CMAKE_CURRENT_LIST_DIR}/zoo_doc_check.cmake)
  set_tests_properties(zoo_docs_in_sync PROPERTIES LABELS zoo TIMEOUT 30)
endif()

# Free-running executor (real pthreads) on zoo defects, as zoo_bench's
# free-running column runs them.  B-09: a BUG in a model thread ends that
# thread and is reported as "BUG", not a process abort (the model
# backend's report sink replaces the free executor's).
if(TARGET gmemsim)
  add_test(NAME zoo_free_bug_reported
           COMMAND gmemsim run ${PROJECT_SOURCE_DIR}/traces/zoo/b09-get-folio-err-as-null.trace
                   --executor free --inject b09-get-folio-err-as-null)
  set_tests_properties(zoo_free_bug_reported PROPERTIES LABELS zoo TIMEOUT 60
                       PASS_REGULAR_EXPRESSION "VIOLATION \\(BUG\\): unable to handle folio pointer")
  # Spec §2.3: a WARN has one checker name on every executor ("WARN", as
  # docs/zoo.md lists it), free-running included.
  add_test(NAME zoo_free_warn_name
           COMMAND gmemsim run ${PROJECT_SOURCE_DIR}/traces/zoo/invalidate-no-range.trace
                   --executor free --inject invalidate-no-range)
  set_tests_properties(zoo_free_warn_name PROPERTIES LABELS zoo TIMEOUT 60
                       PASS_REGULAR_EXPRESSION "VIOLATION \\(WARN\\)")
endif()
