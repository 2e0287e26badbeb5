# model/lib/xarray.c unit and differential tests.  Each is built twice with
# the xarray sources compiled in (so that other model code cannot break
# them): with the top level's XA_CHUNK_SHIFT (6) and with
# XA_CHUNK_SHIFT_OVERRIDE=2, so that multi-level trees appear with a handful
# of entries.
set(GMEMSIM_XA_SOURCES
  ${PROJECT_SOURCE_DIR}/model/lib/xarray.c
  ${PROJECT_SOURCE_DIR}/model/lib/xarray_api.c
  ${PROJECT_SOURCE_DIR}/model/lib/xarray_find.c)

gmemsim_add_test(NAME xarray_unit
  SOURCES unit/xarray_test.c ${GMEMSIM_XA_SOURCES} LIBS gmemsim_shims
  LABELS unit TIMEOUT 120)
target_include_directories(xarray_unit PRIVATE ${PROJECT_SOURCE_DIR}/model/include)
gmemsim_add_test(NAME xarray_unit_shift2
  SOURCES unit/xarray_test.c ${GMEMSIM_XA_SOURCES} LIBS gmemsim_shims
  DEFS XA_CHUNK_SHIFT_OVERRIDE=2 XA_TEST_EXPECT_SHIFT=2 LABELS unit TIMEOUT 120)
target_include_directories(xarray_unit_shift2 PRIVATE ${PROJECT_SOURCE_DIR}/model/include)

# Randomized differential tests: 10^6 operations against a reference model;
# `xarray_diff -s SEED -n OPS` replays a run.
gmemsim_add_test(NAME xarray_diff
  SOURCES unit/xarray_diff_test.c ${GMEMSIM_XA_SOURCES} LIBS gmemsim_shims
  LABELS unit TIMEOUT 300)
target_include_directories(xarray_diff PRIVATE ${PROJECT_SOURCE_DIR}/model/include)
gmemsim_add_test(NAME xarray_diff_shift2
  SOURCES unit/xarray_diff_test.c ${GMEMSIM_XA_SOURCES} LIBS gmemsim_shims
  DEFS XA_CHUNK_SHIFT_OVERRIDE=2 LABELS unit TIMEOUT 300)
target_include_directories(xarray_diff_shift2 PRIVATE ${PROJECT_SOURCE_DIR}/model/include)
# The reference model dominates the differential test's time at -O0 under
# ASan; optimise the test file itself (the xarray sources keep the build's
# flags) and keep gcc from turning its copy loop into a memmove call (ASan's
# memmove is slow).
set(GMEMSIM_XA_DIFF_OPTS -O2)
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  list(APPEND GMEMSIM_XA_DIFF_OPTS -fno-tree-loop-distribute-patterns)
endif()
set_source_files_properties(unit/xarray_diff_test.c PROPERTIES
  COMPILE_OPTIONS "${GMEMSIM_XA_DIFF_OPTS}")
