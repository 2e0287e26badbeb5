# xarray_bench: xa_load/xa_store throughput and node bytes per entry.  Not a
# test; prints figures.  Compiles the xarray sources in (as the unit tests
# do) so that unrelated model code cannot break it.
add_executable(xarray_bench bench/xarray_bench.c
  ${PROJECT_SOURCE_DIR}/model/lib/xarray.c
  ${PROJECT_SOURCE_DIR}/model/lib/xarray_api.c
  ${PROJECT_SOURCE_DIR}/model/lib/xarray_find.c)
target_include_directories(xarray_bench PRIVATE ${PROJECT_SOURCE_DIR}/model/include)
target_link_libraries(xarray_bench PRIVATE gmemsim_shims Threads::Threads)
