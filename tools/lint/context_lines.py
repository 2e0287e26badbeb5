#!/usr/bin/env python3
"""Every model function that takes a lock states it in a `Context:` line.

Scans model/**/*.c: a function whose body calls a lock-taking primitive must
have a `Context:` line in the comment block right above its definition.
Prints each offender as FILE:LINE: FUNCTION takes LOCK but has no Context:
line, and exits 1 if there is any; exit 0 otherwise (issue 3, style.md).
"""
import os
import re
import sys

LOCKS = re.compile(r'\b(mutex_lock(?:_killable|_interruptible)?|mutex_trylock|spin_lock(?:_irq|_irqsave|_bh)?|'
                   r'spin_trylock|read_lock|write_lock|down_read|down_write|down_read_trylock|'
                   r'down_write_trylock|filemap_invalidate_lock(?:_shared)?|'
                   r'KVM_MMU_LOCK|KVM_MMU_READ_LOCK|srcu_read_lock|folio_lock|folio_trylock|'
                   r'mmap_read_lock|mmap_write_lock|xa_lock(?:_irq)?|rcu_read_lock)\s*\(')
FUNC = re.compile(r'^(?:static\s+)?(?:inline\s+)?[A-Za-z_][\w\s\*]*?\b([A-Za-z_]\w*)\s*\([^;]*$')


def functions(lines):
    """Yield (name, start line index, body lines) of top-level definitions."""
    i = 0
    n = len(lines)
    while i < n:
        m = FUNC.match(lines[i])
        if m and not lines[i].startswith((' ', '\t', '#')) and '=' not in lines[i].split('(')[0]:
            j = i
            while j < n and '{' not in lines[j] and not lines[j].rstrip().endswith(';'):
                j += 1
            if j < n and '{' in lines[j] and (j == i or lines[j].strip() == '{' or lines[j].rstrip().endswith('{')):
                depth = 0
                k = j
                while k < n:
                    depth += lines[k].count('{') - lines[k].count('}')
                    if depth == 0 and k > j - 1 and '}' in lines[k]:
                        break
                    k += 1
                yield m.group(1), i, lines[j:k + 1]
                i = k + 1
                continue
        i += 1


def comment_above(lines, start):
    k = start - 1
    if k < 0 or not lines[k].rstrip().endswith('*/'):
        return ''
    block = []
    while k >= 0:
        block.append(lines[k])
        if lines[k].lstrip().startswith('/*'):
            break
        k -= 1
    return '\n'.join(reversed(block))


def main(root):
    bad = 0
    checked = 0
    for dirpath, _, files in os.walk(os.path.join(root, 'model')):
        for f in sorted(files):
            if not f.endswith('.c'):
                continue
            path = os.path.join(dirpath, f)
            with open(path, encoding='utf-8') as fh:
                lines = fh.read().split('\n')
            for name, start, body in functions(lines):
                text = '\n'.join(body)
                # strip comments and string literals before looking for calls
                text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
                text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
                m = LOCKS.search(text)
                if not m:
                    continue
                checked += 1
                if 'Context:' not in comment_above(lines, start):
                    rel = os.path.relpath(path, root)
                    print(f'{rel}:{start + 1}: {name}() takes {m.group(1)} but has no Context: line')
                    bad += 1
    print(f'context_lines: {checked} lock-taking functions, {bad} without a Context: line')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')))
