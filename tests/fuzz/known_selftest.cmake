# model_fuzz_known_selftest: proves that model_fuzz_replay's fuzz-expect
# mode (tests/fuzz/known/) can fail.  Run by CTest as
#   cmake -DREPLAY=<model_fuzz_replay> -DSRC=<source dir> -DWORK=<scratch dir>
#         -P known_selftest.cmake
# Writes two traces into WORK (never committed) and requires the replay to
# exit 1 with a message naming each file:
#   clean-expect.trace  a clean regression trace given "# fuzz-expect: LOCKDEP"
#                       (the expected violation does not happen);
#   wrong-expect.trace  the F-1 known finding expecting SLAB instead of
#                       LOCKDEP (it fails, but another way).
foreach(v REPLAY SRC WORK)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "known_selftest.cmake: -D${v}= missing")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

file(READ ${SRC}/tests/fuzz/regressions/host-unpin-twice.trace clean)
file(WRITE ${WORK}/clean-expect.trace "# fuzz-expect: LOCKDEP\n${clean}")

file(READ ${SRC}/tests/fuzz/known/memory-failure-lock-order.trace known)
string(REGEX REPLACE "\n# fuzz-expect: [^\n]*" "\n# fuzz-expect: SLAB" wrong "${known}")
if(wrong STREQUAL known)
  message(FATAL_ERROR "memory-failure-lock-order.trace has no fuzz-expect line")
endif()
file(WRITE ${WORK}/wrong-expect.trace "${wrong}")

function(expect_failure name pattern)
  execute_process(COMMAND ${REPLAY} ${WORK}/${name}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL "1")
    message(FATAL_ERROR "${name}: model_fuzz_replay exited '${rc}', want 1\n${out}${err}")
  endif()
  string(FIND "${err}" "FAIL ${WORK}/${name}: ${pattern}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${name}: no 'FAIL ${WORK}/${name}: ${pattern}' message\n${out}${err}")
  endif()
  message(STATUS "${name}: fails as it must (exit 1)")
endfunction()

expect_failure(clean-expect.trace "expected a violation of LOCKDEP")
expect_failure(wrong-expect.trace "expected a violation of exactly SLAB")
