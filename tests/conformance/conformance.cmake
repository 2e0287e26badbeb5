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

foreach(t conf_gm conf_smr conf_spec conf_kvm_main conf_stress conf_fuzzfix)
  if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
    gmemsim_add_test(NAME ${t} SOURCES ${CMAKE_CURRENT_LIST_DIR}/${t}.c
                     LIBS gmemsim_conf LABELS conformance TIMEOUT 120)
  endif()
endforeach()

# THP-backed shared huge SPTEs, NUMA (GM-30..33), vcpu_run (SMR-18..20) and
# PMC-11; PMC-11 runs the checkers after each of a few thousand calls.
gmemsim_add_test(NAME conf_model SOURCES ${CMAKE_CURRENT_LIST_DIR}/conf_model.c
                 LIBS gmemsim_conf LABELS conformance TIMEOUT 400)

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

# The model helper's race traces under traces/races (THP split, SMR-19/20).
if(TARGET gmemsim)
  foreach(tr thp-split-vs-shared-fault smr-move-vs-vcpu-run smr-delete-vs-vcpu-run)
    add_test(NAME conf_race_${tr}
             COMMAND gmemsim explore ${CMAKE_SOURCE_DIR}/traces/races/${tr}.trace
                     --strategy dfs -n 600 -s 1 -q)
    set_tests_properties(conf_race_${tr} PROPERTIES LABELS conformance TIMEOUT 200
                         ENVIRONMENT "CK_FORK=no" SKIP_RETURN_CODE 77)
  endforeach()
endif()

# The bug zoo's tests are in tests/zoo/zoo.cmake (label zoo).
