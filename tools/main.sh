#!/usr/bin/env bash
# The main job (README): set up, build gmemsim, explore a race trace and
# report the violation found: the swimlane story on the terminal, plus a
# Perfetto timeline and an HTML page under build/report/.
# Extra arguments go to 'gmemsim explore' (e.g. --strategy dfs, --seed N).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target gmemsim
trace=${GMEMSIM_TRACE:-traces/demo/punch-loses-write.trace}
mkdir -p build/report
set +e
build/release/tools/gmemsim explore "$trace" --seed 1 \
	--timeline build/report/timeline.json --html build/report/report.html "$@"
rc=$?
set -e
case $rc in
0) echo "main: no violation found in $trace" ;;
1) echo "main: violation found and reported (build/report/report.html, build/report/timeline.json)" ;;
*) echo "main: gmemsim explore failed with exit code $rc" >&2; exit "$rc" ;;
esac
