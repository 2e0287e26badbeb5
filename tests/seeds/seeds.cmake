# The seeds' open designs (issue 7): in-place conversion (spec §6.3) and
# several files per inode (§6.6) against the model backend.  Included by
# tests/CMakeLists.txt after conformance/, whose gmemsim_conf library the
# suite links.
if(TARGET gmemsim_conf AND EXISTS ${CMAKE_SOURCE_DIR}/tests/conformance/conf_inplace.c)
  gmemsim_add_test(NAME conf_inplace
                   SOURCES ${CMAKE_SOURCE_DIR}/tests/conformance/conf_inplace.c
                   LIBS gmemsim_conf LABELS conformance seeds TIMEOUT 120)
endif()

# Race traces of the proposed designs: bounded DFS must find nothing.
if(TARGET gmemsim)
  foreach(tr inplace-convert-vs-host-fault inplace-convert-vs-pin
             inplace-convert-vs-guest-fault inplace-exclusive-vs-host-fault
             link-punch-vs-fault)
    if(EXISTS ${CMAKE_SOURCE_DIR}/traces/races/${tr}.trace)
      add_test(NAME seeds_race_${tr}
               COMMAND gmemsim explore ${CMAKE_SOURCE_DIR}/traces/races/${tr}.trace
                       --strategy dfs -n 3000 -s 1 -q)
      set_tests_properties(seeds_race_${tr} PROPERTIES LABELS "seeds;races" TIMEOUT 240
                           ENVIRONMENT "CK_FORK=no" SKIP_RETURN_CODE 77)
    endif()
  endforeach()

  # pKVM-like exclusive ownership (seed 002): the trace's checker can fire,
  # i.e. without the refcount/mapping rule DFS finds a host-mapped private
  # page (exit 1).
  add_test(NAME seeds_exclusive_needs_refcount_rule
           COMMAND gmemsim explore
                   ${CMAKE_SOURCE_DIR}/traces/races/inplace-exclusive-vs-host-fault.trace
                   --inject convert-no-refcount --strategy dfs -n 3000 -s 1 -q --no-minimize)
  set_tests_properties(seeds_exclusive_needs_refcount_rule PROPERTIES
                       LABELS "seeds;zoo" TIMEOUT 120 WILL_FAIL TRUE)

  # Zoo: with the defect injected, exploration must report a violation.
  foreach(zoo convert-no-refcount invalidate-one-file)
    if(EXISTS ${CMAKE_SOURCE_DIR}/traces/zoo/${zoo}.trace)
      add_test(NAME seeds_zoo_${zoo}
               COMMAND gmemsim explore ${CMAKE_SOURCE_DIR}/traces/zoo/${zoo}.trace
                       --inject ${zoo} --strategy dfs -n 200 -s 1 -q --no-minimize)
      set_tests_properties(seeds_zoo_${zoo} PROPERTIES LABELS "seeds;zoo" TIMEOUT 120
                           WILL_FAIL TRUE)
    endif()
  endforeach()
endif()

# HugeTLB-backed guest_memfd and the CoCo arch hooks (issue 7, spec §6.4,
# §1.14): conformance rows HT-*, race traces explored clean, zoo entries
# found with their defect.
if(TARGET gmemsim_conf)
  gmemsim_add_test(NAME conf_hugetlb
                   SOURCES ${CMAKE_SOURCE_DIR}/tests/seeds/conf_hugetlb.c
                   LIBS gmemsim_conf LABELS conformance seeds TIMEOUT 120)
endif()
if(TARGET gmemsim)
  foreach(tr hugetlb-split-vs-neighbour-fault hugetlb-merge-vs-host-fault)
    add_test(NAME seeds_race_${tr}
             COMMAND gmemsim explore ${CMAKE_SOURCE_DIR}/traces/races/${tr}.trace
                     --strategy dfs -n 3000 -s 1 -q)
    set_tests_properties(seeds_race_${tr} PROPERTIES LABELS "seeds;races" TIMEOUT 240
                         SKIP_RETURN_CODE 77)
  endforeach()
  foreach(zoo hugetlb-split-no-zap hugetlb-merge-shared)
    add_test(NAME seeds_zoo_${zoo}
             COMMAND gmemsim explore ${CMAKE_SOURCE_DIR}/traces/zoo/${zoo}.trace
                     --inject ${zoo} --strategy dfs -n 200 -s 1 -q --no-minimize)
    set_tests_properties(seeds_zoo_${zoo} PROPERTIES LABELS "seeds;zoo" TIMEOUT 120
                         WILL_FAIL TRUE)
  endforeach()
endif()
