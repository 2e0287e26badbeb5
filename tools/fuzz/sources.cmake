# tools/fuzz: fuzz targets.  Each has a replay driver that CTest runs over
# the committed corpus (tests/fuzz/fuzz.cmake, label fuzz), and, with
# GMEMSIM_FUZZ=ON (clang), a libFuzzer binary:
#   cmake --preset fuzz && cmake --build --preset fuzz --target parser_fuzz
#   build/fuzz/tools/parser_fuzz -dict=tools/fuzz/parser_fuzz.dict \
#       -max_len=4096 CORPUS_DIR tests/fuzz/parser_corpus
#   build/fuzz/tools/model_fuzz -max_len=256 CORPUS_DIR tests/fuzz/corpus
#   build/fuzz/tools/diff_fuzz -max_len=256 CORPUS_DIR tests/fuzz/diff_corpus
#   DIFF_FUZZ_MODEL_ONLY=1 build/fuzz/tools/diff_fuzz ...   (no /dev/kvm:
#       the differential decoder's traces on the model alone)
# tools/fuzz/smoke.sh runs them all for a while, plus model_fuzz from the
# fuzz-fast preset (-O2, the cheap UBSan checks: the throughput lane of
# issue 6);
# .clusterfuzzlite/build.sh builds them the OSS-Fuzz way.
# Where a model input's time goes: model_fuzz_replay --stats tests/fuzz/corpus
#
# Growing the committed corpora (minimised on edges: -use_counters=0 keeps
# one input per new edge, not per hit-count bucket):
#   model_fuzz -max_len=256 -fork=1 -ignore_crashes=1 -max_total_time=240 NEW tests/fuzz/corpus
#   model_fuzz -merge=1 -use_counters=0 -max_len=256 MERGED NEW
# and the same with DIFF_FUZZ_MODEL_ONLY=1 diff_fuzz for tests/fuzz/diff_corpus.
#
# model_fuzz_afl is the AFL++ persistent-mode driver: a real AFL target when
# the compiler is afl-clang-fast (CC=afl-clang-fast cmake ...), a one-shot
# stdin driver otherwise.

# Trace parser and printer (sim/trace).
add_executable(parser_fuzz_replay ${CMAKE_CURRENT_LIST_DIR}/parser_fuzz.c)
target_compile_definitions(parser_fuzz_replay PRIVATE PARSER_FUZZ_REPLAY)
target_link_libraries(parser_fuzz_replay PRIVATE gmemsim_trace)

# The model property (model_fuzz.c) and the differential one (diff_fuzz.c).
set(_fuzz_dir ${CMAKE_CURRENT_LIST_DIR})
add_library(gmemsim_fuzz STATIC ${_fuzz_dir}/fuzz_decode.c ${_fuzz_dir}/fuzz_run.c)
target_link_libraries(gmemsim_fuzz PUBLIC gmemsim_sim)

add_executable(model_fuzz_replay ${_fuzz_dir}/model_fuzz.c)
target_compile_definitions(model_fuzz_replay PRIVATE MODEL_FUZZ_REPLAY)
target_link_libraries(model_fuzz_replay PRIVATE gmemsim_fuzz)

add_executable(model_fuzz_afl ${_fuzz_dir}/model_fuzz.c)
target_compile_definitions(model_fuzz_afl PRIVATE MODEL_FUZZ_AFL)
target_link_libraries(model_fuzz_afl PRIVATE gmemsim_fuzz)

add_executable(diff_fuzz_replay ${_fuzz_dir}/diff_fuzz.c)
target_compile_definitions(diff_fuzz_replay PRIVATE DIFF_FUZZ_REPLAY)
target_link_libraries(diff_fuzz_replay PRIVATE gmemsim_fuzz)

if(GMEMSIM_FUZZ)
  # Coverage instrumentation for the code an input steers: the kernel model
  # and the backends with their checkers; tools/fuzz/coverage_ignorelist.txt
  # names what is left out and why.  Edge counters only: comparison
  # tracing (trace-cmp) would cost about half of every execution and buys
  # nothing, since the model compares decoded values, never input bytes
  # (the decoder maps bytes through menus).  The decoder gets the full set,
  # comparison tracing included, unless GMEMSIM_FUZZ_CMP=OFF (the
  # fuzz-fast preset: the throughput lane).
  option(GMEMSIM_FUZZ_CMP "Comparison tracing in the fuzz decoder" ON)
  set(_fuzz_cov -fsanitize-coverage=inline-8bit-counters,pc-table
      -fsanitize-coverage-ignorelist=${_fuzz_dir}/coverage_ignorelist.txt)
  foreach(lib gmemsim_shims gmemsim_model gmemsim_sim gmemsim_trace)
    target_compile_options(${lib} PRIVATE ${_fuzz_cov})
  endforeach()
  if(GMEMSIM_FUZZ_CMP)
    target_compile_options(gmemsim_fuzz PRIVATE -fsanitize=fuzzer-no-link)
  else()
    target_compile_options(gmemsim_fuzz PRIVATE ${_fuzz_cov})
  endif()

  # The parser is compiled again here so that libFuzzer's coverage
  # instrumentation reaches it without the rest of the simulator.
  get_property(_parser_fuzz_srcs GLOBAL PROPERTY GMEMSIM_TRACE_SOURCES)
  add_executable(parser_fuzz ${_fuzz_dir}/parser_fuzz.c ${_parser_fuzz_srcs})
  target_include_directories(parser_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/sim)
  target_compile_options(parser_fuzz PRIVATE -fsanitize=fuzzer)
  target_link_options(parser_fuzz PRIVATE -fsanitize=fuzzer)

  foreach(t model_fuzz diff_fuzz)
    add_executable(${t} ${_fuzz_dir}/${t}.c)
    target_link_libraries(${t} PRIVATE gmemsim_fuzz)
    target_compile_options(${t} PRIVATE -fsanitize=fuzzer)
    target_link_options(${t} PRIVATE -fsanitize=fuzzer)
  endforeach()
endif()
