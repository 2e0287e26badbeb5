# kernel-shims unit tests (label unit).
foreach(t shims_basic_test shims_locks_test shims_lockdep_test shims_slab_test shims_srcu_test
          shims_controlled_test)
  gmemsim_add_test(NAME ${t} SOURCES ${CMAKE_CURRENT_LIST_DIR}/${t}.c
                   LIBS gmemsim_shims LABELS unit TIMEOUT 120)
endforeach()
