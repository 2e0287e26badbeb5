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

foreach(t conf_gm conf_smr conf_spec conf_kvm_main)
  if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
    gmemsim_add_test(NAME ${t} SOURCES ${CMAKE_CURRENT_LIST_DIR}/${t}.c
                     LIBS gmemsim_conf LABELS conformance TIMEOUT 120)
  endif()
endforeach()
