#!/usr/bin/env bash
# The test command (README): set up, then build and run every test under
# ASan+UBSan (dev), under TSan (tsan), and the unit tests under Valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --workflow --preset dev
cmake --workflow --preset tsan
tools/valgrind-unit.sh
