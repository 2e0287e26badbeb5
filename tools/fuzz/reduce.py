#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Shrink a failing fuzz regression trace, call by call.

    tools/fuzz/reduce.py REPLAY IN.trace PATTERN > OUT.trace

REPLAY is a model_fuzz_replay binary; PATTERN a regular expression its
output must keep matching (e.g. 'folio\\(s\\) leaked').  Removes one call
line at a time (then the schedule's decisions, from the end) while the
trace still fails with PATTERN; a removal that makes the trace unparsable
does not match and is undone.  Greedy, deterministic, 1-minimal in lines.
"""
import os
import re
import subprocess
import sys
import tempfile


def fails(replay, lines, pattern):
    with tempfile.NamedTemporaryFile('w', suffix='.trace', delete=False) as f:
        f.write(''.join(lines))
        path = f.name
    try:
        p = subprocess.run([replay, path], capture_output=True, text=True, timeout=60)
        return p.returncode != 0 and re.search(pattern, p.stdout + p.stderr) is not None
    except subprocess.TimeoutExpired:
        return False
    finally:
        os.unlink(path)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    replay, path, pattern = sys.argv[1:]
    lines = open(path).readlines()
    if not fails(replay, lines, pattern):
        sys.exit('%s: does not fail with /%s/' % (path, pattern))
    changed = True
    while changed:
        changed = False
        i = len(lines) - 1
        while i >= 0:
            line = lines[i]
            if line.startswith('\t'):
                trial = lines[:i] + lines[i + 1:]
                if fails(replay, trial, pattern):
                    lines = trial
                    changed = True
            i -= 1
    # Shorten the decision stream from the end while it still fails.
    for i, line in enumerate(lines):
        if line.startswith('# fuzz-schedule: '):
            head, sched = line.rstrip('\n').rsplit(' ', 1)
            prefix = 4 if sched.startswith('S1:f') else 3
            while len(sched) > prefix:
                trial = lines[:i] + ['%s %s\n' % (head, sched[:-1])] + lines[i + 1:]
                if not fails(replay, trial, pattern):
                    break
                sched = sched[:-1]
                lines = trial
    sys.stdout.write(''.join(lines))


if __name__ == '__main__':
    main()
