# kernel-shims sources (paths relative to kernel-shims/).
list(APPEND GMEMSIM_SHIMS_SOURCES
  src/report.c
  src/task.c
  src/lockdep.c
  src/locks.c
  src/signal.c
  src/srcu.c
  src/slab.c
)
