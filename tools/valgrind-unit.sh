#!/usr/bin/env bash
# Valgrind memcheck over the unit tests, built without sanitizers (-O0).
# Any memcheck error fails the test (--error-exitcode), and any defect that
# ctest counts (leaks) fails the script.
#
# Slow under valgrind, so run differently here (they also run in full under
# ASan+UBSan and TSan in the same CI job):
#   xarray_diff, xarray_diff_shift2  10^6 operations -> 20,000 under valgrind
#   mm_pool_test                     2m43s under valgrind; set
#                                    GMEMSIM_VALGRIND_FULL=1 to include it
#
# VALGRIND_BUILD=DIR runs the tests of an existing build without
# sanitizers instead (tools/test.sh passes build/release, saving a build;
# memcheck is exact at -O2 too, only its line numbers are coarser).
set -euo pipefail
cd "$(dirname "$0")/.."
bdir=${VALGRIND_BUILD:-build/debug}
if [ -z "${VALGRIND_BUILD:-}" ]; then
	cmake --preset debug >/dev/null
	cmake --build --preset debug
fi
vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
exclude='^(xarray_diff|xarray_diff_shift2|mm_pool_test)$'
if [ "${GMEMSIM_VALGRIND_FULL:-0}" = 1 ]; then
	exclude='^(xarray_diff|xarray_diff_shift2)$'
fi
(
	cd "$bdir"
	ctest -L unit -E "$exclude" --output-on-failure -j2 \
		--overwrite MemoryCheckCommandOptions="--error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
		-T memcheck 2>&1 | tee memcheck.log
	if sed -n '/Memory checking results:/,$p' memcheck.log | grep -qE ' - [1-9][0-9]*$'; then
		echo "valgrind: memcheck defects found (see $bdir/memcheck.log)" >&2
		exit 1
	fi
)
for t in xarray_diff xarray_diff_shift2; do
	echo "valgrind: $t -n 20000"
	CK_FORK=no "${vg[@]}" "$bdir/tests/$t" -n 20000 >/dev/null
done
echo "valgrind: unit tests clean"
