#!/usr/bin/env python3
"""Disassembles what -XX:+PrintAssembly prints when hsdis is missing.

Without hsdis a product HotSpot prints each nmethod's code as hex words
between [MachCode] and [/MachCode], with its annotations (call targets,
oops, metadata, debug info) on lines of their own. This feeds the bytes to
objdump and puts the annotations back above their instructions.

Usage: hotspot-dis.py LOG [N]   the Nth nmethod in LOG (1-based; default last)
"""
import re
import subprocess
import sys
import tempfile

text = open(sys.argv[1]).read()
blocks = [b.split('[/MachCode]')[0] for b in text.split('[MachCode]')[1:]]
if not blocks:
    sys.exit('no [MachCode] block in ' + sys.argv[1])
block = blocks[int(sys.argv[2]) - 1 if len(sys.argv) > 2 else -1]

start, code, notes = None, bytearray(), {}
for line in block.splitlines():
    m = re.match(r'\s*0x([0-9a-f]+): (.*)', line)
    if not m:
        continue
    addr, rest = int(m.group(1), 16), m.group(2).strip()
    if rest.startswith(';'):
        notes.setdefault(addr, []).append(rest)
    elif re.fullmatch(r'[0-9a-f |]+', rest):
        if start is None:
            start = addr
        if addr != start + len(code):
            sys.exit('gap in code at %#x' % addr)
        code += bytes.fromhex(rest.replace('|', '').replace(' ', ''))

with tempfile.NamedTemporaryFile(suffix='.bin') as f:
    f.write(code)
    f.flush()
    out = subprocess.run(['objdump', '-D', '-b', 'binary', '-mi386:x86-64',
                          '--adjust-vma=%#x' % start, f.name],
                         capture_output=True, text=True, check=True).stdout
for line in out.splitlines():
    m = re.match(r'\s*([0-9a-f]+):\t', line)
    if not m:
        continue
    for note in notes.pop(int(m.group(1), 16), []):
        print('    ' + note)
    print(line)
