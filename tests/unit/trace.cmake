# Trace language tests (sim/trace).  The round-trip test globs every *.trace
# under traces/ at run time, so traces added later are covered too.
gmemsim_add_test(NAME trace_parse
  SOURCES unit/trace_parse_test.c LIBS gmemsim_trace LABELS unit)
gmemsim_add_test(NAME trace_roundtrip
  SOURCES unit/trace_roundtrip_test.c unit/trace_gen.c LIBS gmemsim_trace LABELS unit
  ARGS ${PROJECT_SOURCE_DIR}/traces)
gmemsim_add_test(NAME trace_result
  SOURCES unit/trace_result_test.c LIBS gmemsim_trace LABELS unit)
