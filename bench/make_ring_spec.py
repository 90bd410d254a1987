"""Writes a ring spec of N slots mixing every slot form, for benchmarks.

Usage: make_ring_spec.py N OUT.json
"""
import json
import sys

n, out = int(sys.argv[1]), sys.argv[2]
forms = [
    lambda i: {"opcode": "STORE_U32", "args": [i, 160 + (i % 16)]},
    lambda i: {"opcode": "ATOMIC_ADD", "args": [1, 161]},
    lambda i: {"opcode": "PRINTF", "args": [7, i, i * 3 % 1000]},
    lambda i: {"opcode": "PACKED_SLOT", "ops": [{"opcode": 1, "args": [i, 162]}, {"opcode": 2, "args": [1, 163]}]},
    lambda i: {"work_item": {"op": 256, "input": i, "output": i + 1, "param": 9}},
    lambda i: {"opcode": "NOP"},
]
with open(out, "w") as f:
    f.write('{"slot_count": %d, "tenant": 0, "slots": [\n' % n)
    for i in range(n):
        f.write(json.dumps(forms[i % len(forms)](i), separators=(",", ":")))
        f.write(",\n" if i + 1 < n else "\n")
    f.write("]}\n")
