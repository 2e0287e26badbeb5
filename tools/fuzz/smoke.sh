#!/usr/bin/env bash
# Fuzz smoke run: build the fuzz targets and run each for SECONDS (default
# 60) from its committed corpus, two at a time (the CI machine has 2
# cores); print every target's inputs/s and a summary.  Exit status non-zero
# on any crash, leak, timeout or build failure, or (with
# SMOKE_MIN_MODEL_RATE=N) when the model target's throughput lane
# (model_fuzz_fast) runs fewer than N inputs/s.
#
#   tools/fuzz/smoke.sh [SECONDS]
#
# Targets (libFuzzer ones from the fuzz preset: clang, ASan+UBSan):
#   parser_fuzz     trace parser, text input, with tools/fuzz/parser_fuzz.dict
#   model_fuzz      the model property (tools/fuzz/model_fuzz.c)
#   diff_fuzz       model vs /dev/kvm; skipped (not failed) without /dev/kvm
#   model_fuzz_afl  the same property under AFL++ in persistent mode, built
#                   with afl-clang-fast in $BUILD_DIR-afl; skipped (not
#                   failed) when AFL++ (Debian package afl++) is missing
#   model_fuzz_fast the throughput lane: model_fuzz from the fuzz-fast preset
#                   (clang -O2, libFuzzer, in $FAST_BUILD_DIR); issue 6
#                   asks 10,000 inputs/s of it.  It keeps the UBSan checks
#                   whose violations would pass silently without ASan
#                   (integer overflow, shifts, array bounds, bool/enum
#                   loads) and leaves out alignment, null, pointer-overflow
#                   and object-size, which cost a quarter of its
#                   instructions: a NULL dereference faults anyway and the
#                   ASan+UBSan lanes above check the rest on the same
#                   corpus.  Those are the lanes for memory bugs.
# Two lanes run in parallel: parser_fuzz, diff_fuzz, model_fuzz_fast, and
# model_fuzz then model_fuzz_afl, so the whole run takes about 3 x SECONDS
# plus the builds (2 x SECONDS without /dev/kvm).
#
# SMOKE_FINDINGS=report (tools/test.sh, CI): a target that finds a crashing
# input (libFuzzer wrote a test unit, AFL++ saved a crash) is listed under
# "new findings" with the file to triage, and does not fail the run; a
# build failure, a target that cannot start or runs no input, and the rate
# threshold still fail it.  Default (fail): any crash fails the run.  The
# engines run with a fixed seed (-seed=1, afl-fuzz -s 1), so a finding
# reproduces from the same corpus and binary.
#
# Two rates per target: "inputs/s" is the engine's own figure (libFuzzer's
# average_exec_per_sec, AFL's execs_per_sec: inputs per wall-clock second,
# which drops when the machine is shared), "per CPU s" is inputs per second
# of CPU time the fuzzer process used (what the target costs).
#
# Environment: BUILD_DIR (default build/fuzz), FAST_BUILD_DIR (default
# build/fuzz-fast), TARGETS (default all five), SMOKE_MIN_MODEL_RATE
# (default 0: report only; the goal line says whether 10,000 is met).  New inputs go to a
# temporary directory, never into the committed corpora; crash files land in
# $BUILD_DIR/smoke/ for `model_fuzz_replay --print`.
set -euo pipefail

secs=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build/fuzz}
fast_build=${FAST_BUILD_DIR:-$root/build/fuzz-fast}
all_targets="parser_fuzz model_fuzz diff_fuzz model_fuzz_afl model_fuzz_fast"
targets=${TARGETS:-$all_targets}
min_rate=${SMOKE_MIN_MODEL_RATE:-0}
goal_rate=10000		# issue 6: inputs/s of the model target's fast lane
out=$build/smoke
findings=${SMOKE_FINDINGS:-fail}

case $findings in
fail|report) ;;
*) echo "smoke.sh: SMOKE_FINDINGS must be fail or report, got '$findings'" >&2; exit 2 ;;
esac
case $secs in
''|*[!0-9]*|0) echo "smoke.sh: SECONDS must be a positive integer, got '$secs'" >&2; exit 2 ;;
esac
case $min_rate in
''|*[!0-9]*) echo "smoke.sh: SMOKE_MIN_MODEL_RATE must be an integer" >&2; exit 2 ;;
esac

want() { case " $targets " in *" $1 "*) return 0 ;; esac; return 1; }

# Scratch directories for the engines' new inputs: on tmpfs when there is
# one.  A fuzzer writes every input that adds coverage (hundreds a second
# at first); on ext4 creating those files took an eighth of the model
# target's time, in the kernel's inode allocator.
scratch() {
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		mktemp -d -p /dev/shm gmemsim-smoke.XXXXXX
	else
		mktemp -d
	fi
}

have_kvm() { [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; }

have_afl() { command -v afl-clang-fast >/dev/null && command -v afl-fuzz >/dev/null; }

cd "$root"
rm -rf "$out"
mkdir -p "$out"

# ---- builds (one at a time: -j2 is the whole machine) -----------------------
lf_targets=()
for t in parser_fuzz model_fuzz diff_fuzz; do
	if want "$t" && { [ "$t" != diff_fuzz ] || have_kvm; }; then
		lf_targets+=("$t")
	fi
done
if [ ${#lf_targets[@]} -gt 0 ]; then
	cmake --preset fuzz -B "$build" >/dev/null
	cmake --build "$build" -j2 --target "${lf_targets[@]}" >"$out/build.log" 2>&1 ||
		{ cat "$out/build.log"; echo "smoke.sh: build failed"; exit 1; }
fi
if want model_fuzz_fast; then
	{ cmake --preset fuzz-fast -B "$fast_build" >/dev/null &&
	  cmake --build "$fast_build" -j2 --target model_fuzz; } >"$out/build-fast.log" 2>&1 ||
		{ cat "$out/build-fast.log"; echo "smoke.sh: fuzz-fast build failed"; exit 1; }
fi
if want model_fuzz_afl && have_afl; then
	# The denylist leaves out of AFL's instrumentation what the libFuzzer
	# builds leave out (tools/fuzz/sources.cmake): kernel library code and
	# the simulator around the model.
	if ! { CC=afl-clang-fast cmake -S . -B "$build-afl" -G Ninja \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DGMEMSIM_WERROR=OFF -DBUILD_TESTING=OFF &&
	       AFL_QUIET=1 AFL_LLVM_DENYLIST="$root/tools/fuzz/coverage_ignorelist.txt" \
		cmake --build "$build-afl" -j2 --target model_fuzz_afl; } \
		>"$out/build-afl.log" 2>&1; then
		cat "$out/build-afl.log"
		echo "smoke.sh: AFL build failed"
		exit 1
	fi
fi

corpus_of() {
	case $1 in
	parser_fuzz) echo "tests/fuzz/parser_corpus" ;;
	model_fuzz|model_fuzz_afl|model_fuzz_fast) echo "tests/fuzz/corpus" ;;
	diff_fuzz) echo "tests/fuzz/diff_corpus" ;;
	esac
}

args_of() {
	case $1 in
	parser_fuzz) echo "-dict=tools/fuzz/parser_fuzz.dict -max_len=4096" ;;
	# -entropic=0: the entropic schedule's per-feature bookkeeping
	# (UpdateFeatureFrequency) took half of each execution here, since
	# every input reaches thousands of model features.
	model_fuzz|model_fuzz_fast) echo "-max_len=256 -entropic=0" ;;
	diff_fuzz) echo "-max_len=256 -entropic=0" ;;
	esac
}

# Inputs per CPU second: $1 inputs, $2 file holding "user sys" seconds.
cpu_rate() {
	awk -v n="$1" '{ c = $1 + $2; if (c > 0) printf "%d", n / c; else print 0 }' "$2"
}

bin_of() {
	case $1 in
	model_fuzz_fast) echo "$fast_build/tools/model_fuzz" ;;
	*) echo "$build/tools/$1" ;;
	esac
}

# Each run writes one result line to $out/$t.result, its inputs/s to
# $out/$t.rate, and "fail" to $out/$t.fail on failure.
run_libfuzzer() {
	local t=$1 work log execs rate crate rc=0 TIMEFORMAT='%U %S'

	if [ "$t" = diff_fuzz ] && ! have_kvm; then
		echo "$t: skipped (no usable /dev/kvm on this machine)" >"$out/$t.result"
		return
	fi
	work=$(scratch)
	log=$out/$t.log
	# shellcheck disable=SC2046
	{ time "$(bin_of "$t")" $(args_of "$t") -seed=1 -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/$t-" \
		"$work" "$(corpus_of "$t")" >"$log" 2>&1 || rc=$?; } 2>"$out/$t.cpu"
	rm -rf "$work"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	crate=$(cpu_rate "${execs:-0}" "$out/$t.cpu")
	echo "${rate:-0}" >"$out/$t.rate"
	if [ "$rc" -ne 0 ]; then
		{
			# libFuzzer prints its stats on a crash too: the rate up to it.
			echo "$t: FAILED (exit $rc) after ${execs:-?} inputs," \
			     "${rate:-0} inputs/s (${crate} per CPU s) until then; see $log"
			grep -m8 -E "^violation at|ERROR|SUMMARY|Test unit written|leak" "$log" || true
		} >"$out/$t.result"
		if [ "$findings" = report ] && grep -q "Test unit written to" "$log"; then
			grep -m1 -o "Test unit written to .*" "$log" >"$out/$t.finding"
		else
			echo fail >"$out/$t.fail"
		fi
		return
	fi
	echo "$t: ${execs:-0} inputs in ${secs}s, ${rate:-0} inputs/s (${crate} per CPU s)" \
		>"$out/$t.result"
}

run_afl() {
	local t=model_fuzz_afl work stats execs rate crate crashes rc=0 TIMEFORMAT='%U %S'

	if ! have_afl; then
		echo "$t: skipped (afl-clang-fast/afl-fuzz not installed; Debian package afl++)" \
			>"$out/$t.result"
		return
	fi
	work=$(scratch)
	{ time env AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
		AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_BENCH_UNTIL_CRASH=1 \
		timeout $((secs + 60)) afl-fuzz -s 1 -V "$secs" -t 10000 \
		-i "$(corpus_of $t)" -o "$work" -- "$build-afl/tools/model_fuzz_afl" \
		>"$out/$t.log" 2>&1 || rc=$?; } 2>"$out/$t.cpu"
	stats=$work/default/fuzzer_stats
	execs=$(sed -n 's/^execs_done *: *//p' "$stats" 2>/dev/null || true)
	rate=$(sed -n 's/^execs_per_sec *: *//p' "$stats" 2>/dev/null || true)
	crate=$(cpu_rate "${execs:-0}" "$out/$t.cpu")
	crashes=$(find "$work/default/crashes" -type f ! -name README.txt 2>/dev/null | wc -l)
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ] || [ "${execs:-0}" -eq 0 ]; then
		{
			echo "$t: FAILED (exit $rc, ${execs:-0} inputs, $crashes crash(es)); see $out/$t.log"
			tail -5 "$out/$t.log"
		} >"$out/$t.result"
		cp -r "$work/default/crashes" "$out/$t-crashes" 2>/dev/null || true
		if [ "$findings" = report ] && [ "$rc" -eq 0 ] && [ "$crashes" -ne 0 ] &&
		   [ "${execs:-0}" -gt 0 ]; then
			echo "AFL++ crash inputs in $out/$t-crashes" >"$out/$t.finding"
		else
			echo fail >"$out/$t.fail"
		fi
	else
		echo "$t: ${execs} inputs in ${secs}s, ${rate%.*} inputs/s (${crate} per CPU s)" \
			>"$out/$t.result"
	fi
	rm -rf "$work"
}

run_target() {
	if [ "$1" = model_fuzz_afl ]; then
		run_afl
	else
		run_libfuzzer "$1"
	fi
}

lane() {
	for t in "$@"; do
		want "$t" && run_target "$t"
	done
	return 0
}

lane parser_fuzz diff_fuzz model_fuzz_fast &
lane1=$!
lane model_fuzz model_fuzz_afl &
lane2=$!
wait "$lane1" "$lane2"

# The model target's throughput: its fast lane, or the ASan one without it.
rate_target=model_fuzz_fast
want model_fuzz_fast || rate_target=model_fuzz

status=0
nfind=0
echo "==== fuzz smoke summary: ${secs} s per target ===="
for t in $all_targets; do
	want "$t" || continue
	cat "$out/$t.result"
	[ -e "$out/$t.fail" ] && status=1
	[ -e "$out/$t.finding" ] && nfind=$((nfind + 1))
done
if [ "$nfind" -gt 0 ]; then
	echo "new findings ($nfind target(s); SMOKE_FINDINGS=report: listed, not fatal):"
	for t in $all_targets; do
		[ -e "$out/$t.finding" ] && echo "  $t: $(cat "$out/$t.finding")"
	done
	echo "  triage: build/dev/tools/model_fuzz_replay --print FILE; minimise with" \
	     "tools/fuzz/reduce.py; commit to tests/fuzz/regressions/ (or tests/fuzz/known/ if kernel behaviour)"
fi
if want "$rate_target"; then
	rate=$(cat "$out/$rate_target.rate" 2>/dev/null || echo 0)
	if [ "$rate" -ge "$goal_rate" ]; then
		verdict="met"
	else
		verdict="NOT met"
	fi
	echo "goal (issue 6): $rate_target >= $goal_rate inputs/s: $verdict ($rate inputs/s)"
	if [ "$rate" -lt "$min_rate" ]; then
		echo "$rate_target: below SMOKE_MIN_MODEL_RATE=$min_rate inputs/s"
		status=1
	fi
fi
exit $status
