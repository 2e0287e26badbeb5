#!/usr/bin/env bash
# Replay is exact across builds and executors: for every race trace and a
# few seeds, record a random execution on the first build, then replay its
# schedule on every build given (e.g. dev = -O0 ASan+UBSan, tsan = -O2 TSan,
# release = -O2) with each executor (fiber, pthread baton, free) and compare
# the event-log hash.  Exit 1 on any mismatch.
#
# usage: tools/hash-check.sh BUILD_DIR... (default: build/dev build/tsan build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
builds=("$@")
[ ${#builds[@]} -gt 0 ] || builds=(build/dev build/tsan build/release)
for b in "${builds[@]}"; do
	[ -x "$b/tools/gmemsim" ] || { echo "hash-check: $b/tools/gmemsim not built" >&2; exit 2; }
done
# A string field of gmemsim's one-line --json output (schedules and hashes
# hold no quotes).  Not python: its start-up (0.35 s through pyenv's shim
# here) was most of this script's four minutes.
field() { sed -n 's/.*"'"$1"'":"\([^"]*\)".*/\1/p'; }
checked=0 bad=0
for t in traces/races/*.trace traces/demo/*.trace; do
	for seed in 1 2; do
		out=$("${builds[0]}/tools/gmemsim" run "$t" --seed "$seed" --json || true)
		sched=$(echo "$out" | field schedule)
		want=$(echo "$out" | field event_hash)
		if [ -z "$sched" ] || [ -z "$want" ]; then
			echo "hash-check: $t seed $seed: no schedule or event_hash in: $out" >&2
			bad=$((bad + 1))
			continue
		fi
		for b in "${builds[@]}"; do
			for ex in fiber pthread free; do
				got=$("$b/tools/gmemsim" replay "$t" --schedule "$sched" --executor "$ex" --json \
				      | field event_hash || true)
				checked=$((checked + 1))
				if [ "$got" != "$want" ]; then
					echo "hash-check: $t seed $seed: $b --executor $ex gives $got, recorded $want" >&2
					bad=$((bad + 1))
				fi
			done
		done
	done
done
echo "hash-check: $checked replays over ${#builds[@]} builds x 3 executors, $bad mismatches"
[ "$bad" -eq 0 ]
