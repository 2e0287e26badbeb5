#!/bin/bash -eu
# Build gmemsim's fuzz targets the OSS-Fuzz / ClusterFuzzLite way: the
# environment gives $CC $CFLAGS (sanitizer + -fsanitize=fuzzer-no-link),
# $LIB_FUZZING_ENGINE (-fsanitize=fuzzer, or an AFL/honggfuzz driver) and
# $OUT.  Every source file of the simulator is compiled with $CFLAGS, so the
# engine's coverage reaches the model (less what
# tools/fuzz/coverage_ignorelist.txt leaves out); the targets are linked with
# $LIB_FUZZING_ENGINE.  Seed corpora go to $OUT/<target>_seed_corpus.zip,
# the parser's dictionary to $OUT/parser_fuzz.dict, engine options to
# $OUT/<target>.options.
#
# Local emulation (no docker):
#   CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link -g -O1" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out SRC=/tmp .clusterfuzzlite/build.sh
# $CFLAGS, $LIB_FUZZING_ENGINE and the lists below split into words on purpose.
# shellcheck disable=SC2086
src=$(cd "$(dirname "$0")/.." && pwd)
# Link with the C++ driver: libFuzzer and the AFL/honggfuzz drivers are C++.
CXX=${CXX:-clang++}
CXXFLAGS=${CXXFLAGS:-$CFLAGS}
work=${WORK:-$(mktemp -d)}
build=$work/gmemsim-build

# The fiber executor annotates its stack switches for ASan (GMEMSIM_ASAN).
case "$CFLAGS" in
*-fsanitize=*address*) CFLAGS="$CFLAGS -DGMEMSIM_ASAN=1" ;;
esac

# Coverage leaves out what tools/fuzz/coverage_ignorelist.txt names (kernel
# library code and the simulator around the model) in the model and
# differential targets; the parser target keeps its own, full coverage.
ignorelist=$src/tools/fuzz/coverage_ignorelist.txt
parser_cflags=$CFLAGS
case "${FUZZING_ENGINE:-libfuzzer}" in
afl) export AFL_LLVM_DENYLIST=$ignorelist ;;
*) CFLAGS="$CFLAGS -fsanitize-coverage-ignorelist=$ignorelist" ;;
esac

# Sanitizers come from $CFLAGS: the project's own GMEMSIM_SANITIZE stays
# off; -Werror too (the engine's flags are not ours to vet).
cmake -S "$src" -B "$build" -G Ninja \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_C_COMPILER="$CC" \
	-DCMAKE_C_FLAGS="$CFLAGS" \
	-DCMAKE_EXE_LINKER_FLAGS="$CFLAGS" \
	-DGMEMSIM_WERROR=OFF \
	-DBUILD_TESTING=OFF
cmake --build "$build" --target gmemsim_fuzz

# Link each target against the engine.
libs="$build/tools/libgmemsim_fuzz.a $build/sim/libgmemsim_sim.a \
      $build/model/libgmemsim_model.a $build/kernel-shims/libgmemsim_shims.a"
incs="-I$src/sim -I$src/tools/fuzz -I$src/model/include \
      -I$src/model/arch/x86/include -I$src/kernel-shims/include"
defs="-D_GNU_SOURCE -DXA_CHUNK_SHIFT=6"
for t in model_fuzz diff_fuzz; do
	$CC $CFLAGS $defs $incs -c "$src/tools/fuzz/$t.c" -o "$work/$t.o"
	$CXX $CXXFLAGS "$work/$t.o" $LIB_FUZZING_ENGINE $libs -lpthread -o "$OUT/$t"
done
# The parser target: the trace library compiled again, instrumented.
mkdir -p "$work/parser"
for f in "$src"/tools/fuzz/parser_fuzz.c "$src"/sim/trace/*.c; do
	(unset AFL_LLVM_DENYLIST
	 $CC $parser_cflags $defs -I"$src/sim" -c "$f" -o "$work/parser/$(basename "$f" .c).o")
done
$CXX $CXXFLAGS "$work"/parser/*.o $LIB_FUZZING_ENGINE -o "$OUT/parser_fuzz"

# Seed corpora and the dictionary.
(cd "$src/tests/fuzz/corpus" && zip -q -r "$OUT/model_fuzz_seed_corpus.zip" .)
(cd "$src/tests/fuzz/diff_corpus" && zip -q -r "$OUT/diff_fuzz_seed_corpus.zip" .)
(cd "$src/tests/fuzz/parser_corpus" && zip -q -r "$OUT/parser_fuzz_seed_corpus.zip" .)
cp "$src/tools/fuzz/parser_fuzz.dict" "$OUT/parser_fuzz.dict"

# Per-target engine options (the same limits tools/fuzz/smoke.sh uses).
printf '[libfuzzer]\nmax_len = 4096\n' >"$OUT/parser_fuzz.options"
printf '[libfuzzer]\nmax_len = 256\nentropic = 0\n' >"$OUT/model_fuzz.options"
printf '[libfuzzer]\nmax_len = 256\nentropic = 0\n' >"$OUT/diff_fuzz.options"
