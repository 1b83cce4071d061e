#!/usr/bin/env python3
"""Assembles the seed corpus of one fuzz harness (docs/fuzzing.md).

    corpus.py SURFACE OUTDIR

Copies into OUTDIR, one input per file named by a hash of its bytes (as
libFuzzer names its own), the same seeds the replay test reads
(tests/fuzz/meson.build): for the scenario harness every scenario of
scenarios/, tests/data/valid/, tests/data/invalid/ and the example pitch;
for the others the lines of tests/fuzz/seeds/SURFACE.txt (with the escapes
of replay_main.c); for all, the saved findings of tests/data/fuzz/SURFACE/
(a file ending in .lines holds one input per line, as the seed files).
Inputs libFuzzer already put in OUTDIR stay: the corpus grows run by run.
"""
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def unescape(line):
    """The escapes of replay_main.c: \\n \\t \\xHH, else the character."""
    out = bytearray()
    raw = line.encode('utf-8')
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == 0x5C and i + 1 < len(raw):
            n = chr(raw[i + 1])
            hexa = raw[i + 2:i + 4].decode('ascii', 'replace')
            if n == 'n':
                out.append(10)
            elif n == 't':
                out.append(9)
            elif n == 'x' and re.fullmatch(r'[0-9a-fA-F]{2}', hexa):
                out.append(int(hexa, 16))
                i += 2
            else:
                out.append(raw[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def read_lines(path):
    """The inputs of a file of one input per line."""
    with open(path, encoding='utf-8') as fh:
        return [unescape(line) for line in fh.read().split('\n')
                if line and not line.startswith('#')]


def files_under(path):
    if os.path.isfile(path):
        yield path
        return
    for base, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
        for name in sorted(names):
            if not name.startswith('.'):
                yield os.path.join(base, name)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: corpus.py SURFACE OUTDIR')
    surface, out = sys.argv[1], sys.argv[2]
    inputs = []
    if surface == 'scenario':
        for d in ('scenarios', 'tests/data/valid', 'tests/data/invalid',
                  'examples/spreadsheets/pitch.yaml'):
            for f in files_under(os.path.join(ROOT, d)):
                if f.endswith('.yaml'):
                    with open(f, 'rb') as fh:
                        inputs.append(fh.read())
    else:
        seeds = os.path.join(ROOT, 'tests', 'fuzz', 'seeds', surface + '.txt')
        if not os.path.isfile(seeds):
            sys.exit('corpus.py: no seeds for %r (%s)' % (surface, seeds))
        inputs += read_lines(seeds)
    found = os.path.join(ROOT, 'tests', 'data', 'fuzz', surface)
    if os.path.isdir(found):
        for f in files_under(found):
            if f.endswith('.lines'):
                inputs += read_lines(f)
            else:
                with open(f, 'rb') as fh:
                    inputs.append(fh.read())
    os.makedirs(out, exist_ok=True)
    for data in inputs:
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(out, name), 'wb') as fh:
            fh.write(data)
    print('corpus.py: %d seeds for %s in %s' % (len(inputs), surface, out))


if __name__ == '__main__':
    main()
