# cmake -P script: `gmemsim explore --shrink-trace` and `gmemsim minimize
# --shrink-trace` on one trace (issue 4: shrink the trace's calls;
# deterministic output).  Checks that
#   - explore with --jobs 1 and --jobs 2 writes byte-identical shrunk
#     traces (-o) and reports the same schedule;
#   - the shrunk trace has no more calls than the input (fewer with
#     -DFEWER=1), and replaying it with the reported schedule fails with the
#     same checker;
#   - minimize --shrink-trace prints byte-identical output on two runs and
#     writes the same trace as explore.
# Variables: GMEMSIM, TRACE, OUT (a scratch prefix), INJECT (may be
# empty), FEWER (0/1).
cmake_minimum_required(VERSION 3.25)

set(inject)
if(INJECT)
  set(inject --inject ${INJECT})
endif()

function(run_gmemsim outvar want_rc)
  execute_process(COMMAND ${GMEMSIM} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL want_rc)
    message(FATAL_ERROR "gmemsim ${ARGN}: exit ${rc}, want ${want_rc}\n${out}\n${err}")
  endif()
  set(${outvar} "${out}" PARENT_SCOPE)
endfunction()

function(json_field outvar json key)
  string(REGEX MATCH "\"${key}\":\"([^\"]*)\"" m "${json}")
  if(NOT m)
    message(FATAL_ERROR "no \"${key}\" in ${json}")
  endif()
  set(${outvar} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

function(count_calls outvar file)
  file(STRINGS ${file} lines REGEX "^\t")
  list(LENGTH lines n)
  set(${outvar} ${n} PARENT_SCOPE)
endfunction()

# explore, --jobs 1 and 2
foreach(j 1 2)
  run_gmemsim(json${j} 1 explore ${TRACE} ${inject} --strategy pct -d 2
              -n 2000 -s 1 -q --json --shrink-trace -o ${OUT}-j${j}.trace -j ${j})
endforeach()
file(READ ${OUT}-j1.trace t1)
file(READ ${OUT}-j2.trace t2)
if(NOT t1 STREQUAL t2)
  message(FATAL_ERROR "--jobs 1 and 2 shrink differently:\n${t1}\n----\n${t2}")
endif()
json_field(s1 "${json1}" schedule)
json_field(s2 "${json2}" schedule)
json_field(checker "${json1}" checker)
json_field(found "${json1}" found_schedule)
if(NOT s1 STREQUAL s2)
  message(FATAL_ERROR "--jobs 1 and 2 report schedules ${s1} and ${s2}")
endif()

# fewer calls
run_gmemsim(canon 0 fmt ${TRACE})
file(WRITE ${OUT}-input.trace "${canon}")
count_calls(before ${OUT}-input.trace)
count_calls(after ${OUT}-j1.trace)
message(STATUS "${TRACE}: ${before} calls -> ${after}, checker ${checker}, schedule ${s1}")
if(after GREATER before OR (FEWER AND NOT after LESS before))
  message(FATAL_ERROR "shrunk trace has ${after} calls, input ${before}")
endif()

# the shrunk trace fails the same way on replay
run_gmemsim(rep 1 replay ${OUT}-j1.trace --schedule ${s1} ${inject} --json)
json_field(rchecker "${rep}" checker)
if(NOT rchecker STREQUAL checker)
  message(FATAL_ERROR "replay of the shrunk trace: checker ${rchecker}, want ${checker}")
endif()

# minimize --shrink-trace: same output twice, same trace as explore
run_gmemsim(m1 1 minimize ${TRACE} --schedule ${found} ${inject} --shrink-trace
            -o ${OUT}-m.trace)
run_gmemsim(m2 1 minimize ${TRACE} --schedule ${found} ${inject} --shrink-trace
            -o ${OUT}-m.trace)
if(NOT m1 STREQUAL m2)
  message(FATAL_ERROR "minimize output differs between runs:\n${m1}\n----\n${m2}")
endif()
file(READ ${OUT}-m.trace tm)
if(NOT tm STREQUAL t1)
  message(FATAL_ERROR "minimize and explore shrink differently:\n${tm}\n----\n${t1}")
endif()
