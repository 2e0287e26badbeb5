# tools/fuzz: fuzz targets.  Each has a replay driver that CTest runs over
# the committed corpus (label fuzz), and, with GMEMSIM_FUZZ=ON (clang), a
# libFuzzer binary:
#   cmake --preset fuzz && cmake --build --preset fuzz --target parser_fuzz
#   build/fuzz/tools/parser_fuzz -dict=tools/fuzz/parser_fuzz.dict \
#       -max_len=4096 CORPUS_DIR tests/fuzz/parser_corpus

# Trace parser and printer (sim/trace).
add_executable(parser_fuzz_replay ${CMAKE_CURRENT_LIST_DIR}/parser_fuzz.c)
target_compile_definitions(parser_fuzz_replay PRIVATE PARSER_FUZZ_REPLAY)
target_link_libraries(parser_fuzz_replay PRIVATE gmemsim_trace)
add_test(NAME parser_fuzz_corpus
         COMMAND parser_fuzz_replay ${PROJECT_SOURCE_DIR}/tests/fuzz/parser_corpus
                 ${PROJECT_SOURCE_DIR}/traces)
set_tests_properties(parser_fuzz_corpus PROPERTIES LABELS fuzz TIMEOUT 120)

if(GMEMSIM_FUZZ)
  # The parser is compiled again here so that libFuzzer's coverage
  # instrumentation reaches it.
  get_property(_parser_fuzz_srcs GLOBAL PROPERTY GMEMSIM_TRACE_SOURCES)
  add_executable(parser_fuzz ${CMAKE_CURRENT_LIST_DIR}/parser_fuzz.c ${_parser_fuzz_srcs})
  target_include_directories(parser_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/sim)
  target_compile_options(parser_fuzz PRIVATE -fsanitize=fuzzer)
  target_link_options(parser_fuzz PRIVATE -fsanitize=fuzzer)
endif()
