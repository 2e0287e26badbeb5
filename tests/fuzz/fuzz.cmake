# Fuzz corpora and regressions, replayed by the drivers of tools/fuzz
# (tools/fuzz/sources.cmake builds them).  Label fuzz.
#   fuzz_decode_budget   the decoder's page budget holds for what decoded
#                        traces ask of the model (corpus + 100,000 random
#                        inputs; labels fuzz and unit)
#   parser_fuzz_corpus   trace parser over tests/fuzz/parser_corpus + traces/
#   model_fuzz_corpus    model property over tests/fuzz/corpus (libFuzzer
#                        inputs, minimised with -merge=1) and the regression
#                        traces tests/fuzz/regressions/*.trace; each input
#                        twice, and again in reverse order (determinism)
#   model_fuzz_known     the known findings tests/fuzz/known/*.trace: kernel
#                        behaviour the model reproduces (docs/findings.md);
#                        each must fail with exactly the checkers of its
#                        "# fuzz-expect:" line (twice, same hash)
#   model_fuzz_known_selftest  that mode can fail: a clean trace and a wrong
#                        checker, written into the build dir, must exit 1
#   diff_fuzz_corpus     model vs /dev/kvm over tests/fuzz/diff_corpus
#                        (label kvm too; skipped without /dev/kvm)
#   diff_fuzz_corpus_model  the same decoded traces on the model alone,
#                        every checker on (DIFF_FUZZ_MODEL_ONLY=1)
gmemsim_add_test(NAME fuzz_decode_budget
                 SOURCES ${PROJECT_SOURCE_DIR}/tests/fuzz/decode_budget_test.c
                 LIBS gmemsim_fuzz LABELS "fuzz;unit" ARGS ${PROJECT_SOURCE_DIR})
target_include_directories(fuzz_decode_budget PRIVATE ${PROJECT_SOURCE_DIR}/tools/fuzz)

add_test(NAME parser_fuzz_corpus
         COMMAND parser_fuzz_replay ${PROJECT_SOURCE_DIR}/tests/fuzz/parser_corpus
                 ${PROJECT_SOURCE_DIR}/traces)
set_tests_properties(parser_fuzz_corpus PROPERTIES LABELS fuzz TIMEOUT 120)

add_test(NAME model_fuzz_corpus
         COMMAND model_fuzz_replay ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus
                 ${PROJECT_SOURCE_DIR}/tests/fuzz/regressions)
set_tests_properties(model_fuzz_corpus PROPERTIES LABELS fuzz TIMEOUT 300)

add_test(NAME model_fuzz_known
         COMMAND model_fuzz_replay ${PROJECT_SOURCE_DIR}/tests/fuzz/known)
set_tests_properties(model_fuzz_known PROPERTIES LABELS fuzz TIMEOUT 120)

add_test(NAME model_fuzz_known_selftest
         COMMAND ${CMAKE_COMMAND} -DREPLAY=$<TARGET_FILE:model_fuzz_replay>
                 -DSRC=${PROJECT_SOURCE_DIR}
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/model_fuzz_known_selftest
                 -P ${PROJECT_SOURCE_DIR}/tests/fuzz/known_selftest.cmake)
set_tests_properties(model_fuzz_known_selftest PROPERTIES LABELS fuzz TIMEOUT 120)

add_test(NAME diff_fuzz_corpus
         COMMAND diff_fuzz_replay ${PROJECT_SOURCE_DIR}/tests/fuzz/diff_corpus)
set_tests_properties(diff_fuzz_corpus PROPERTIES LABELS "fuzz;kvm" TIMEOUT 300
                     SKIP_RETURN_CODE 77)

add_test(NAME diff_fuzz_corpus_model
         COMMAND diff_fuzz_replay ${PROJECT_SOURCE_DIR}/tests/fuzz/diff_corpus)
set_tests_properties(diff_fuzz_corpus_model PROPERTIES LABELS fuzz TIMEOUT 300
                     ENVIRONMENT DIFF_FUZZ_MODEL_ONLY=1)
