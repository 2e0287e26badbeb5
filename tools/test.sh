#!/usr/bin/env bash
# The test command (README): set up, then build and run every test under
# ASan+UBSan (dev), under TSan (tsan), and the unit tests under Valgrind;
# build the release preset and check that replays give the same event-log
# hash on all three builds and all three executors; then a 60-second fuzz
# smoke run of every fuzz target (tools/fuzz/smoke.sh prints inputs/s).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --workflow --preset dev
cmake --workflow --preset tsan
tools/valgrind-unit.sh
cmake --preset release >/dev/null
cmake --build --preset release
tools/hash-check.sh build/dev build/tsan build/release
tools/fuzz/smoke.sh 60
