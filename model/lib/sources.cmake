# model/lib: kernel library code (paths relative to model/).
list(APPEND GMEMSIM_MODEL_SOURCES
  lib/xarray.c
  lib/xarray_api.c
  lib/xarray_find.c
)
