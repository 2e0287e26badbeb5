#!/usr/bin/env bash
# cmake --install the release build into a temporary prefix, then build and
# run tests/install/consumer.c against it twice: through pkg-config and
# through find_package(gmemsim).  Proves another project can link the model.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install build/release --prefix "$tmp/prefix" >/dev/null
test -x "$tmp/prefix/bin/gmemsim"
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
cc tests/install/consumer.c $(pkg-config --cflags --libs gmemsim) -o "$tmp/consumer_pc"
"$tmp/consumer_pc"
cmake -S tests/install -B "$tmp/build" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/build" >/dev/null
"$tmp/build/consumer_cmake"
echo "check-install: pkg-config and find_package consumers built and ran"
