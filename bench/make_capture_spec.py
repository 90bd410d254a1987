"""Writes the ring spec of a large capture for bench/large_capture.sh: N slots
of stores, adds and PRINTFs, a store out of the control buffer's bounds
every 1,024th slot (the kernel marks it FAULT) and a slot of an
unauthorized tenant every 4,096th (it stays PUBLISHED).

Usage: make_capture_spec.py N OUT.json
"""
import json
import sys

n, out = int(sys.argv[1]), sys.argv[2]


def slot(i):
    if i % 1024 == 1023:
        return {"opcode": "STORE_U32", "args": [i, 1 << 20]}  # past the control words: FAULT
    if i % 4096 == 2000:
        return {"opcode": "STORE_U32", "args": [i, 160], "tenant": 7}  # no mask: stays PUBLISHED
    form = i % 3
    if form == 0:
        return {"opcode": "STORE_U32", "args": [i, 160 + (i % 16)]}
    if form == 1:
        return {"opcode": "ATOMIC_ADD", "args": [1, 161]}
    return {"opcode": "PRINTF", "args": [7, i, i % 1000]}


with open(out, "w") as f:
    f.write('{"slot_count": %d, "tenant": 0, "slots": [\n' % n)
    for i in range(n):
        f.write(json.dumps(slot(i), separators=(",", ":")))
        f.write(",\n" if i + 1 < n else "\n")
    f.write("]}\n")
