# Conformance suite (spec §4): GM-, SMR-, SPEC- rows against the model
# backend.  The MMU helper's mmu*/x86* files (mmu.cmake) link gmemsim_conf too.
#
# gmemsim_conf compiles the model backend itself, so the suite builds even while other parts of gmemsim_sim
# (explorer, reports) are being changed.
set(_sim ${CMAKE_SOURCE_DIR}/sim)
add_library(gmemsim_conf STATIC
  ${CMAKE_CURRENT_LIST_DIR}/conf_util.c
  ${_sim}/backend/model/model_backend.c
  ${_sim}/backend/model/model_ops.c
  ${_sim}/backend/model/model_checks.c)
target_include_directories(gmemsim_conf PUBLIC ${CMAKE_CURRENT_LIST_DIR} ${_sim})
target_link_libraries(gmemsim_conf PUBLIC gmemsim_model gmemsim_shims
                      PkgConfig::CHECK Threads::Threads)

foreach(t conf_gm conf_smr conf_spec conf_kvm_main conf_stress)
  if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
    gmemsim_add_test(NAME ${t} SOURCES ${CMAKE_CURRENT_LIST_DIR}/${t}.c
                     LIBS gmemsim_conf LABELS conformance TIMEOUT 120)
  endif()
endforeach()

# Race traces (tests/conformance/traces): bounded exhaustive search (DFS,
# preemption bound 2) over the first N executions must find no violation.
if(TARGET gmemsim)
  foreach(tr release_vs_memslot_delete bind_vs_release convert_vs_punch)
    add_test(NAME conf_race_${tr}
             COMMAND gmemsim explore ${CMAKE_CURRENT_LIST_DIR}/traces/${tr}.trace
                     --strategy dfs -n 2000 -s 1 -q)
    set_tests_properties(conf_race_${tr} PROPERTIES LABELS conformance TIMEOUT 120
                         ENVIRONMENT "CK_FORK=no" SKIP_RETURN_CODE 77)
  endforeach()
endif()

# Bug zoo: with a known defect injected, exploration MUST report a violation
# (the checkers are alive).  WILL_FAIL: gmemsim exits non-zero on a finding.
if(TARGET gmemsim)
  add_test(NAME conf_zoo_punch_no_invalidate
           COMMAND gmemsim explore ${CMAKE_CURRENT_LIST_DIR}/traces/zoo-punch-no-invalidate.trace
                   --inject punch-no-invalidate --strategy dfs -n 50 -s 1 -q --no-minimize)
  add_test(NAME conf_zoo_unbind_skip_dying
           COMMAND gmemsim explore ${CMAKE_CURRENT_LIST_DIR}/traces/release_vs_memslot_delete.trace
                   --inject unbind-skip-dying --strategy random -n 20000 -s 1 -q --no-minimize)
  set_tests_properties(conf_zoo_punch_no_invalidate conf_zoo_unbind_skip_dying
                       PROPERTIES LABELS conformance TIMEOUT 120 WILL_FAIL TRUE)
endif()
