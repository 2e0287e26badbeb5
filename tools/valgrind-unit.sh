#!/usr/bin/env bash
# Valgrind memcheck over the unit tests, built without sanitizers (-O0).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset debug >/dev/null
cmake --build --preset debug
cd build/debug
ctest -L unit --output-on-failure -j2 \
	--overwrite MemoryCheckCommandOptions="--error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --track-origins=no" \
	-T memcheck 2>&1 | tee memcheck.log
# ctest -T memcheck reports defects but exits 0: fail on any.
if grep -qE 'Memory checking results:|Defects:' memcheck.log && ! grep -q 'Memory checking results:$' memcheck.log; then
	if grep -qE '^(\s*)[A-Za-z ]+ - [1-9]' memcheck.log; then
		echo "valgrind: defects found" >&2; exit 1
	fi
fi
