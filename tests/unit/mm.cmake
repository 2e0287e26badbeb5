# model/mm unit tests (label unit).  They link a private library of the mm
# sources plus the xarray, so they do not depend on the rest of
# gmemsim_model building.
set(_saved_model_sources "${GMEMSIM_MODEL_SOURCES}")
set(GMEMSIM_MODEL_SOURCES "")
include(${PROJECT_SOURCE_DIR}/model/mm/sources.cmake)
include(${PROJECT_SOURCE_DIR}/model/lib/sources.cmake)
list(TRANSFORM GMEMSIM_MODEL_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/model/)
add_library(gmemsim_mm_test STATIC ${GMEMSIM_MODEL_SOURCES})
set(GMEMSIM_MODEL_SOURCES "${_saved_model_sources}")
target_include_directories(gmemsim_mm_test PUBLIC
  ${PROJECT_SOURCE_DIR}/model/include ${PROJECT_SOURCE_DIR}/model/arch/x86/include)
target_link_libraries(gmemsim_mm_test PUBLIC gmemsim_shims Threads::Threads)

foreach(t mm_pool_test mm_filemap_test mm_user_test)
  if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
    gmemsim_add_test(NAME ${t} SOURCES ${CMAKE_CURRENT_LIST_DIR}/${t}.c
                     LIBS gmemsim_mm_test LABELS unit TIMEOUT 120)
  endif()
endforeach()

# Controlled-scheduler (DFS) tests of model/mm; needs the scheduler test
# library from sched.cmake.
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/mm_sched_test.c AND
   EXISTS ${CMAKE_CURRENT_LIST_DIR}/sched.cmake)
  gmemsim_add_test(NAME mm_sched_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/mm_sched_test.c
                   LIBS gmemsim_mm_test gmemsim_sched LABELS unit TIMEOUT 120)
endif()
