#!/usr/bin/env bash
# Fuzz smoke run: build the fuzz targets (fuzz preset: clang, libFuzzer,
# ASan+UBSan) and run each for SECONDS (default 60) from its committed
# corpus; print every target's inputs/s.  Exit status non-zero on any crash,
# leak, timeout or build failure, or (with SMOKE_MIN_MODEL_RATE=N) when the
# model target runs fewer than N inputs/s.
#
#   tools/fuzz/smoke.sh [SECONDS]
#
# Environment: BUILD_DIR (default build/fuzz), TARGETS (default
# "parser_fuzz model_fuzz diff_fuzz model_fuzz_afl"; model_fuzz_afl runs only
# where afl-clang-fast and afl-fuzz exist, built in $BUILD_DIR-afl),
# SMOKE_MIN_MODEL_RATE (default 0: report only).  New inputs go to a
# temporary directory, never into the committed corpora; crash files land in
# $BUILD_DIR/smoke/ for `model_fuzz_replay --print`.
set -euo pipefail

secs=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build/fuzz}
targets=${TARGETS:-parser_fuzz model_fuzz diff_fuzz model_fuzz_afl}
min_rate=${SMOKE_MIN_MODEL_RATE:-0}
out=$build/smoke
status=0

case $secs in
''|*[!0-9]*) echo "smoke.sh: SECONDS must be a positive integer, got '$secs'" >&2; exit 2 ;;
esac

cd "$root"
lf_targets=()
for t in $targets; do
	[ "$t" = model_fuzz_afl ] || lf_targets+=("$t")
done
cmake --preset fuzz -B "$build" >/dev/null
cmake --build "$build" -j2 --target "${lf_targets[@]}"
mkdir -p "$out"

corpus_of() {
	case $1 in
	parser_fuzz) echo "tests/fuzz/parser_corpus" ;;
	model_fuzz|model_fuzz_afl) echo "tests/fuzz/corpus" ;;
	diff_fuzz) echo "tests/fuzz/diff_corpus" ;;
	esac
}

args_of() {
	case $1 in
	parser_fuzz) echo "-dict=tools/fuzz/parser_fuzz.dict -max_len=4096" ;;
	model_fuzz) echo "-max_len=512" ;;
	diff_fuzz) echo "-max_len=256 -timeout=20" ;;
	esac
}

run_libfuzzer() {
	local t=$1 work log execs rate rc
	work=$(mktemp -d)
	log=$out/$t.log
	rc=0
	# shellcheck disable=SC2046
	"$build/tools/$t" $(args_of "$t") -max_total_time="$secs" -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$out/$t-" -close_fd_mask=3 \
		"$work" "$(corpus_of "$t")" >"$log" 2>&1 || rc=$?
	rm -rf "$work"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	if [ "$rc" -ne 0 ]; then
		echo "$t: FAILED (exit $rc) after ${execs:-?} inputs; see $log"
		grep -m5 -E "ERROR|SUMMARY|abort|Test unit written" "$log" || true
		status=1
		return
	fi
	echo "$t: ${execs:-0} inputs in ${secs}s, ${rate:-0} inputs/s"
	if [ "$t" = model_fuzz ] && [ "${rate:-0}" -lt "$min_rate" ]; then
		echo "$t: below the required $min_rate inputs/s"
		status=1
	fi
}

run_afl() {
	local abuild=$build-afl work stats execs rate rc=0
	if ! command -v afl-clang-fast >/dev/null || ! command -v afl-fuzz >/dev/null; then
		echo "model_fuzz_afl: skipped (afl-clang-fast/afl-fuzz not installed; Debian package afl++)"
		return
	fi
	CC=afl-clang-fast cmake -S . -B "$abuild" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DGMEMSIM_WERROR=OFF >/dev/null
	cmake --build "$abuild" -j2 --target model_fuzz_afl >/dev/null
	work=$(mktemp -d)
	AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
	AFL_NO_AFFINITY=1 AFL_SKIP_CRASHES=1 AFL_BENCH_UNTIL_CRASH=1 \
		timeout $((secs + 30)) afl-fuzz -V "$secs" -i tests/fuzz/corpus -o "$work" \
		-- "$abuild/tools/model_fuzz_afl" >"$out/model_fuzz_afl.log" 2>&1 || rc=$?
	stats=$work/default/fuzzer_stats
	execs=$(sed -n 's/^execs_done *: *//p' "$stats" 2>/dev/null || true)
	rate=$(sed -n 's/^execs_per_sec *: *//p' "$stats" 2>/dev/null || true)
	if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$work/default/crashes" 2>/dev/null | grep -v README)" ]; then
		echo "model_fuzz_afl: FAILED (exit $rc); see $out/model_fuzz_afl.log"
		cp -r "$work/default/crashes" "$out/model_fuzz_afl-crashes" 2>/dev/null || true
		status=1
	else
		echo "model_fuzz_afl: ${execs:-0} inputs in ${secs}s, ${rate:-0} inputs/s"
	fi
	rm -rf "$work"
}

for t in $targets; do
	if [ "$t" = model_fuzz_afl ]; then
		run_afl
	else
		run_libfuzzer "$t"
	fi
done
exit $status
