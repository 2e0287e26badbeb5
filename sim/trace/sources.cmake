# sim/trace: the trace language (parser, canonical printer, op and constant
# tables, result matching).  Paths relative to sim/.
#
# Built once as an object library that gmemsim_sim absorbs, so that the
# trace tests and tools can link the parser alone (libc is all it needs)
# while the rest of sim/ is under construction.
set(GMEMSIM_TRACE_SOURCES
  trace/ops.c
  trace/consts.c
  trace/lex.c
  trace/expect.c
  trace/parse.c
  trace/print.c
  trace/result.c)
add_library(gmemsim_trace OBJECT ${GMEMSIM_TRACE_SOURCES})
target_include_directories(gmemsim_trace PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
list(APPEND GMEMSIM_SIM_SOURCES $<TARGET_OBJECTS:gmemsim_trace>)
# Absolute paths for the libFuzzer target, which compiles the parser again
# with coverage instrumentation.
list(TRANSFORM GMEMSIM_TRACE_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/
     OUTPUT_VARIABLE _gmemsim_trace_abs)
set_property(GLOBAL PROPERTY GMEMSIM_TRACE_SOURCES ${_gmemsim_trace_abs})
