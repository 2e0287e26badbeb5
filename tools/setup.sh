#!/usr/bin/env bash
# Install what a fresh Debian 12 machine lacks to build and test gmemsim.
# Idempotent: installs only missing packages (needs root, as on CI).
set -euo pipefail
# clang + libclang-rt-14-dev: the fuzz preset (libFuzzer); afl++: the AFL++
# persistent-mode target of the fuzz smoke run; zip: the ClusterFuzzLite
# seed corpora (.clusterfuzzlite/build.sh).
pkgs=(cmake ninja-build gcc clang pkg-config check libsubunit-dev valgrind
      libclang-rt-14-dev python3 git afl++ zip)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "setup: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
