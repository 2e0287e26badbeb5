#!/usr/bin/env bash
# The main job (README): set up, build gmemsim, explore a race trace of
# traces/races/ against a deliberately broken model (a bug-zoo defect:
# punch hole truncates the page cache before its invalidation begins) and
# report the violation found: the swimlane story on the terminal, plus a
# Perfetto timeline and an HTML page under build/report/.  The same trace
# explores clean on the correct model (GMEMSIM_INJECT= to see that).
# Extra arguments go to 'gmemsim explore' (e.g. --strategy dfs, --seed N).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target gmemsim
trace=${GMEMSIM_TRACE:-traces/races/punch-vs-fault.trace}
inject=${GMEMSIM_INJECT-punch-truncate-first}
mkdir -p build/report
set +e
build/release/tools/gmemsim explore "$trace" --seed 1 ${inject:+--inject "$inject"} \
	--timeline build/report/timeline.json --html build/report/report.html "$@"
rc=$?
set -e
case $rc in
0) echo "main: no violation found in $trace" ;;
1) echo "main: violation found and reported (build/report/report.html, build/report/timeline.json)" ;;
*) echo "main: gmemsim explore failed with exit code $rc" >&2; exit "$rc" ;;
esac
