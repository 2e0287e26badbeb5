# sim/backend/model: the in-process model backend (paths relative to sim/).
list(APPEND GMEMSIM_SIM_SOURCES
  backend/model/model_backend.c
  backend/model/model_ops.c
  backend/model/model_checks.c
)
