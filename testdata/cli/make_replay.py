"""Writes the VRRL0001 replay logs used by the CLI tests, with a writer that
shares no code with libvyre (so the two cross-check each other).

wrapped.vrrl: capacity 4, six appends (so the log wrapped; next_slot = 2).
fresh.vrrl:   capacity 3, one append.
badrecord.vrrl: wrapped.vrrl with record 1's magic overwritten.
"""
import struct

HEADER = b"VRRL0001"


def log(capacity, appends):
    buf = bytearray(32 + 64 * capacity)
    buf[0:8] = HEADER
    struct.pack_into("<IIQQ", buf, 8, 1, 0, capacity, 0)
    cursor = 0
    for ts, slot, tenant, opcode, args, epoch in appends:
        off = 32 + 64 * cursor
        buf[off:off + 64] = bytes(64)
        struct.pack_into("<IQIII4II", buf, off, 0xDEADBEEF, ts, slot, tenant, opcode, *args, epoch)
        cursor = (cursor + 1) % capacity
        struct.pack_into("<Q", buf, 24, cursor)
    return buf


wrapped = log(4, [(1000 + i, i, i % 2, [1, 2, 0xFFFE, 0x80000001, 256, 7][i], [i, 2 * i, 3 * i, 4 * i], i // 2)
                  for i in range(6)])
open("wrapped.vrrl", "wb").write(wrapped)
open("fresh.vrrl", "wb").write(log(3, [(42, 5, 1, 1, [7, 160, 0, 0], 0)]))
bad = bytearray(wrapped)
struct.pack_into("<I", bad, 32 + 64, 0x12345678)
open("badrecord.vrrl", "wb").write(bad)
