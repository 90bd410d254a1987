#!/usr/bin/env bash
# CLI tests of the vyre tool: golden outputs (bytes and JSON), JSON schema
# conformance, bad inputs with their messages and exit codes, and atomic
# outputs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
S="$TD/specs"
E="$TD/expected"

# --- encoders -------------------------------------------------------------
expect_ok "encode example ring" "$VYRE" encode-ring "$SRC/examples/ring-spec.json" -o ring.bin
expect_same_bytes "example ring bytes" "$WORK/ring.bin" "$E/example-ring.bin"
expect_ok "encode ring from stdin to stdout" bash -c "'$VYRE' encode-ring - < '$SRC/examples/ring-spec.json' > stdout.bin"
expect_same_bytes "stdin/stdout ring bytes" "$WORK/stdout.bin" "$E/example-ring.bin"

expect_ok "encode control" "$VYRE" encode-control --tenants 2 --observable 16 --shutdown -o control.bin
expect_same_bytes "control = upstream try_encode_control(true, 2, 16)" "$WORK/control.bin" "$GOLDEN/control_sd1_t2_o16.bin"
expect_ok "encode control, clamped tenants" "$VYRE" encode-control --tenants 4294967295 --observable 1000 -o control.bin
expect_same_bytes "control = upstream try_encode_control(false, u32::MAX, 1000)" "$WORK/control.bin" "$GOLDEN/control_sd0_t4294967295_o1000.bin"
# One vocabulary: --observables as in vyre replay, --slot-count as in replay
# and ring specs; the former spellings still work, hidden from help.
expect_ok "encode control, --observables" "$VYRE" encode-control --tenants 2 --observables 16 --shutdown -o control2.bin
expect_same_bytes "--observables = --observable" "$WORK/control2.bin" "$GOLDEN/control_sd1_t2_o16.bin"
expect_ok "encode-control --help" "$VYRE" encode-control --help
if grep -q -- "--observables" "$WORK/.out" && ! grep -q -- "--observable " "$WORK/.out"; then pass; else fail "help shows the former name"; fi
expect_ok "encode io queue, --slot-count" "$VYRE" encode-io-queue --slot-count 8 -o ioq2.bin
expect_same_bytes "--slot-count = --slots" "$WORK/ioq2.bin" "$GOLDEN/empty_io_queue_8.bin"
expect_ok "encode control with priority offsets" "$VYRE" encode-control --tenants 5 --observable 2 --priority-slots 8 -o prio.bin
expect_same_bytes "control = upstream resident reset control" "$WORK/prio.bin" \
  "$GOLDEN/resident_reset_s8_from_t2_o4_to_t5_o2.control.bin"
expect_ok "encode debug log" "$VYRE" encode-debug-log --capacity 16 -o dbg.bin
expect_same_bytes "debug log = upstream" "$WORK/dbg.bin" "$GOLDEN/empty_debug_log_16.bin"
expect_ok "encode io queue" "$VYRE" encode-io-queue --slots 8 -o ioq.bin
expect_same_bytes "io queue = upstream" "$WORK/ioq.bin" "$GOLDEN/empty_io_queue_8.bin"

# --- inspect: text and JSON goldens, schemas --------------------------------
check_inspect() {  # NAME FILE KIND GOLDEN_BASENAME [extra flags]
  local name="$1" file="$2" kind="$3" base="$4"; shift 4
  expect_ok "inspect $name" "$VYRE" inspect "$file" --kind "$kind" "$@"
  expect_stdout_file "inspect $name text" "$E/$base.txt"
  expect_ok "inspect $name json" "$VYRE" inspect "$file" --kind "$kind" --json "$@"
  expect_stdout_file "inspect $name json" "$E/$base.json"
  expect_schema "inspect $name json schema" "inspect-$kind.schema.json"
}
check_inspect "ring" "$E/example-ring.bin" ring inspect-ring
check_inspect "ring --all" "$E/example-ring.bin" ring inspect-ring-all --all
check_inspect "packed chain" "$GOLDEN/packed_chain_7_6ops_full.out.bin" ring inspect-packed
check_inspect "control" "$GOLDEN/ctrl_read_full.bin" control inspect-control
check_inspect "debug log" "$GOLDEN/debug_log_rec3.bin" debug-log inspect-debug-log
check_inspect "io queue" "$GOLDEN/io_raw8.bin" io-queue inspect-io-queue
check_inspect "replay" "$TD/wrapped.vrrl" replay inspect-replay

# The ring JSON carries every field of the spec.
expect_ok "spec round trip" bash -c "'$VYRE' encode-ring '$SRC/examples/ring-spec.json' | '$VYRE' inspect - --kind ring --json"
if "$PY" - "$SRC/examples/ring-spec.json" "$WORK/.out" <<'PYEOF'
import json, sys
spec = json.load(open(sys.argv[1])); ring = json.load(open(sys.argv[2]))
slots = {s["slot"]: s for s in ring["slots"]}
names = {"STORE_U32": 1, "ATOMIC_ADD": 2, "PRINTF": 0xFFFE}
nxt = 0
for entry in spec["slots"]:
    idx = entry.get("slot", nxt); nxt = idx + 1
    s = slots[idx]
    assert s["status"] == "PUBLISHED", s
    if "work_item" in entry:
        w = entry["work_item"]
        assert s["opcode_value"] == int(w["op"], 0) and s["args"][:3] == [w["input"], w["output"], w["param"]], s
        assert s["tenant"] == entry.get("tenant", spec["tenant"])
    elif entry["opcode"] == "LOAD_MISS":
        assert s["load_miss"] == {"resource_id": entry["resource_id"], "prefetch": entry["prefetch"]}, s
    elif entry["opcode"] == "PACKED_SLOT":
        got = [(o["opcode"], o["args"]) for o in s["packed"]["ops"]]
        assert got == [(o["opcode"], o["args"]) for o in entry["ops"]], got
    else:
        assert s["opcode"] == entry["opcode"] and s["args"][:len(entry["args"])] == entry["args"], s
        assert s["tenant"] == entry.get("tenant", spec["tenant"])
fence = slots[max(slots)]
assert fence["opcode"] == "BATCH_FENCE" and fence["args"][:2] == [len(spec["slots"]), spec["batch_fence"]["tag"]]
PYEOF
then pass; else fail "inspect --json does not carry every spec field"; fi

# --- decode-debug ------------------------------------------------------------
expect_ok "decode-debug lines" "$VYRE" decode-debug "$GOLDEN/debug_log_rec3.bin"
expect_stdout_file "decode-debug lines" "$E/decode-rec3.txt"
expect_ok "decode-debug formats" "$VYRE" decode-debug "$GOLDEN/debug_log_rec3.bin" --formats "$TD/formats.json"
expect_stdout_file "decode-debug formats" "$E/decode-rec3-formats.txt"
expect_ok "decode-debug json" "$VYRE" decode-debug "$GOLDEN/debug_log_rec3.bin" --formats "$TD/formats.json" --json
expect_stdout_file "decode-debug json" "$E/decode-rec3.json"
expect_schema "decode-debug json schema" decode-debug.schema.json
expect_ok "decode-debug overflowed log" "$VYRE" decode-debug "$GOLDEN/debug_log_err_cursor260.bin" --json
expect_schema "overflowed log json schema" decode-debug.schema.json
if "$PY" -c "import json,sys; d=json.load(open('$WORK/.out')); sys.exit(not (d['dropped']==1 and len(d['records'])==64 and d['capacity']==64))"
then pass; else fail "overflowed log: expected 64 records and 1 dropped"; fi
expect_ok "decode-debug overflow note" "$VYRE" decode-debug "$GOLDEN/debug_log_err_cursor260.bin"
if grep -q "1 record(s) dropped" "$WORK/.err"; then pass; else fail "overflow note missing"; fi
# decode-debug and inspect say the same of an overflowed log, on stderr.
expect_ok "decode-debug overflowed log, text" "$VYRE" decode-debug "$GOLDEN/debug_log_err_cursor260.bin"
if grep -qF "vyre decode-debug: note: $GOLDEN/debug_log_err_cursor260.bin: log overflowed: 1 record(s) dropped after the 64-record capacity" "$WORK/.err"
then pass; else fail "decode-debug overflow note: $(cat "$WORK/.err")"; fi
expect_ok "inspect overflowed log, text" "$VYRE" inspect "$GOLDEN/debug_log_err_cursor260.bin" --kind debug-log
if grep -qF "vyre inspect: note: $GOLDEN/debug_log_err_cursor260.bin: log overflowed: 1 record(s) dropped after the 64-record capacity" "$WORK/.err"
then pass; else fail "inspect overflow note: $(cat "$WORK/.err")"; fi
expect_fail "decode-debug --strict overflowed" 2 "debug_log is missing word 261 in 1028 bytes. Fix: debug-log cursor must stay within the encoded record capacity" \
  "$VYRE" decode-debug "$GOLDEN/debug_log_err_cursor260.bin" --strict
expect_fail "decode-debug --strict partial record" 2 "debug-log cursor must advance in whole PRINTF records" \
  "$VYRE" decode-debug "$GOLDEN/debug_log_err_cursor5.bin" --strict

# --- bad inputs: message and exit code ---------------------------------------
expect_fail "13 args" 2 "slots[0].args: 13 args; a slot holds at most 12" "$VYRE" encode-ring "$S/args13.json" -o x.bin
expect_fail "reserved opcode" 2 "slots[0].opcode: 0x0000FFF0 is a reserved system opcode" "$VYRE" encode-ring "$S/reserved-opcode.json" -o x.bin
expect_fail "slot out of range" 2 "slots[0].slot: slot 9 is out of range for slot_count 2" "$VYRE" encode-ring "$S/slot-out-of-range.json" -o x.bin
expect_fail "duplicate slot" 2 "slots[1].slot: duplicate slot 0, already published by slots[0]" "$VYRE" encode-ring "$S/duplicate-slot.json" -o x.bin
expect_fail "missing slot_count" 2 "slot_count: missing required key" "$VYRE" encode-ring "$S/no-slot-count.json" -o x.bin
expect_fail "slot_count over cap" 2 "slot_count: slot_count 1048577 exceeds the megakernel allocation cap" "$VYRE" encode-ring "$S/slot-count-cap.json" -o x.bin
expect_fail "unknown opcode name" 2 "slots[0].opcode: unknown opcode name \"STORE\"" "$VYRE" encode-ring "$S/unknown-opcode.json" -o x.bin
expect_fail "unknown key" 2 "slotz: unknown key \"slotz\"" "$VYRE" encode-ring "$S/unknown-key.json" -o x.bin
expect_fail "negative arg" 2 "slots[0].args[0]: negative value -1 is not a u32" "$VYRE" encode-ring "$S/negative-arg.json" -o x.bin
expect_fail "arg over u32" 2 "slots[0].args[0]: 4294967296 does not fit in a u32 word" "$VYRE" encode-ring "$S/big-arg.json" -o x.bin
expect_fail "packed overflow" 2 "slots[0].ops: packed slot payload exceeds the 12-word slot argument budget" "$VYRE" encode-ring "$S/packed-overflow.json" -o x.bin
expect_fail "packed opcode > u8" 2 "slots[0].ops[0].opcode: inner opcode 0x0000012C does not fit" "$VYRE" encode-ring "$S/packed-wide-opcode.json" -o x.bin
expect_fail "fence out of range" 2 "batch_fence: the BATCH_FENCE goes after the last slot, at slot 2" "$VYRE" encode-ring "$S/fence-out-of-range.json" -o x.bin
expect_fail "bad JSON syntax" 2 "bad-syntax.json: byte offset 46: invalid JSON: parse error at line 1, column 46" "$VYRE" encode-ring "$S/bad-syntax.json" -o x.bin
expect_fail "LOAD_MISS without resource" 2 "slots[0]: LOAD_MISS needs \"resource_id\"" "$VYRE" encode-ring "$S/load-miss-no-resource.json" -o x.bin
expect_fail "spec not an object" 2 "(document root): expected an object, got array" "$VYRE" encode-ring "$S/not-object.json" -o x.bin
expect_fail "missing spec file" 3 "no-such.json: cannot open: No such file or directory" "$VYRE" encode-ring no-such.json -o x.bin
expect_fail "missing output dir" 3 "/nonexistent-dir/x.bin: its directory /nonexistent-dir does not exist" "$VYRE" encode-ring "$SRC/examples/ring-spec.json" -o /nonexistent-dir/x.bin
expect_fail "truncated ring" 2 "<stdin>, byte offset 64: a ring of 100 bytes is not a whole number of 64-byte slots (36 bytes left over)" bash -c "head -c 100 '$E/example-ring.bin' | '$VYRE' inspect - --kind ring"
expect_fail "misaligned control" 2 "ctrl_read_misaligned705.bin, byte offset 704: a control buffer of 705 bytes is not a whole number of u32 words. Fix: check that it is a control buffer, or build one with vyre encode-control" "$VYRE" inspect "$GOLDEN/ctrl_read_misaligned705.bin" --kind control
expect_fail "short control" 2 "a control buffer of 400 bytes is shorter than its 640 bytes of fixed words" "$VYRE" inspect "$GOLDEN/ctrl_read_short100w.bin" --kind control
expect_fail "partial io slot" 2 "an IO queue of 36 bytes is not a whole number of 32-byte slots" bash -c "head -c 36 /dev/zero | '$VYRE' inspect - --kind io-queue"
expect_fail "oversized io queue" 2 "<stdin>, byte offset 2048: 65 slots, more than the kernel's IO poll window of 64" bash -c "head -c 2080 /dev/zero | '$VYRE' inspect - --kind io-queue"
expect_fail "misaligned debug log" 2 "a debug log of 1029 bytes is not the cursor word and whole 16-byte PRINTF records" "$VYRE" inspect "$GOLDEN/debug_log_err_misaligned1029.bin" --kind debug-log
expect_fail "empty debug log" 2 "debug_log_err_empty0.bin, byte offset 0: a debug log of 0 bytes lacks its cursor word" "$VYRE" decode-debug "$GOLDEN/debug_log_err_empty0.bin"
expect_fail "wrong kind: ring as replay" 2 "lacks the VRRL0001 magic; it looks like a ring" "$VYRE" inspect "$E/example-ring.bin" --kind replay
expect_fail "wrong kind: debug log as ring" 2 "a ring of 1028 bytes is not a whole number of 64-byte slots" "$VYRE" inspect "$GOLDEN/debug_log_rec3.bin" --kind ring
expect_fail "corrupt replay record" 2 "replay log, byte offset 96: record 1 has magic 0x12345678" "$VYRE" inspect "$TD/badrecord.vrrl" --kind replay
expect_fail "truncated replay log" 2 "replay log is truncated: 200 bytes, capacity 4 needs 288" bash -c "head -c 200 '$TD/wrapped.vrrl' | '$VYRE' inspect - --kind replay"
expect_fail "bad format placeholder" 2 "bad-formats.json: \"7\": unknown placeholder {3}" "$VYRE" decode-debug "$GOLDEN/debug_log_rec3.bin" --formats "$TD/bad-formats.json"
expect_fail "io queue over 64 slots" 1 "vyre encode-io-queue: error: --slots: 65 is not a whole number from 1 to 64. Fix:" "$VYRE" encode-io-queue --slots 65 -o x.bin
expect_fail "io queue of 0 slots" 1 "--slots: 0 is not a whole number from 1 to 64" "$VYRE" encode-io-queue --slots 0 -o x.bin
expect_fail "observable over cap" 1 "--observable: 1048577 is not a whole number from 0 to 1048576" "$VYRE" encode-control --observable 1048577 -o x.bin
expect_fail "debug capacity over cap" 1 "--capacity: 1048577 is not a whole number from 0 to 1048576" "$VYRE" encode-debug-log --capacity 1048577 -o x.bin
expect_fail "usage: unknown kind" 1 "--kind" "$VYRE" inspect "$E/example-ring.bin" --kind rings
expect_ok "no --kind: told from the content" "$VYRE" inspect "$E/example-ring.bin"
expect_stdout_file "no --kind: the ring's table" "$E/inspect-ring.txt"
expect_fail "usage: unknown subcommand" 1 "unknown subcommand 'nope'" "$VYRE" nope
expect_fail "usage: non-numeric size" 1 "--slots" "$VYRE" encode-io-queue --slots lots
# script(1) gives the child a terminal as stdout and copies what it prints.
run script -qec "'$VYRE' encode-ring '$SRC/examples/ring-spec.json'" /dev/null
if [[ $status -eq 1 ]] && grep -q "refusing to write a binary buffer to a terminal" "$WORK/.out"; then pass
else fail "binary to a terminal: exit $status: $(cat "$WORK/.out" "$WORK/.err" | head -c 300)"; fi

# --- atomic outputs ------------------------------------------------------------
rm -f "$WORK/x.bin"
expect_fail "failed run writes nothing" 2 "13 args" "$VYRE" encode-ring "$S/args13.json" -o out.bin
if [[ ! -e "$WORK/out.bin" ]]; then pass; else fail "a failed encode-ring left out.bin behind"; fi
cp "$E/example-ring.bin" "$WORK/keep.bin"
expect_fail "failed run keeps the old file" 2 "13 args" "$VYRE" encode-ring "$S/args13.json" -o keep.bin
expect_same_bytes "old output untouched" "$WORK/keep.bin" "$E/example-ring.bin"
if ! ls -A "$WORK" | grep -q '\.tmp\.'; then pass; else fail "temporary files left behind: $(ls -A "$WORK")"; fi

# --- diff ------------------------------------------------------------------------
"$VYRE" dispatch --backend reference --ring "$E/example-ring.bin" --out-dir "$WORK/ran" --report /dev/null
expect_ok "diff equal" "$VYRE" diff "$E/example-ring.bin" "$E/example-ring.bin" --kind ring
expect_fail "diff different" 1 "" "$VYRE" diff "$E/example-ring.bin" ran/ring.bin --kind ring
expect_ok "diff text" bash -c "'$VYRE' diff '$E/example-ring.bin' ran/ring.bin --kind ring; test \$? -eq 1"
expect_stdout_file "diff text" "$E/diff-ring.txt"
run "$VYRE" diff "$E/example-ring.bin" ran/ring.bin --kind ring --json
if [[ $status -eq 1 ]]; then pass; else fail "diff --json of different rings: exit $status"; fi
expect_schema "diff json schema" diff.schema.json
expect_ok "diff --ignore status,args" "$VYRE" diff "$E/example-ring.bin" ran/ring.bin --kind ring --ignore status,args
expect_fail "diff control" 1 "" "$VYRE" diff "$GOLDEN/control_sd0_t1_o16.bin" ran/control.bin --kind control -q
if [[ ! -s "$WORK/.out" ]]; then pass; else fail "diff -q printed something"; fi
expect_ok "diff control ignoring the run's effects" "$VYRE" diff "$GOLDEN/control_sd0_t1_o16.bin" ran/control.bin \
  --kind control --ignore done_count,metrics,epoch,observables
expect_fail "diff debug log records" 1 "" "$VYRE" diff "$GOLDEN/debug_log_rec1.bin" "$GOLDEN/debug_log_rec3.bin" --kind debug-log
if grep -q '^+ debug-log record' "$WORK/.out" && ! grep -q '^- ' "$WORK/.out"; then pass; else fail "diff debug-log: $(cat "$WORK/.out")"; fi
expect_fail "diff unknown field" 2 "--ignore bogus is not a field of a ring buffer" "$VYRE" diff "$E/example-ring.bin" ran/ring.bin --kind ring --ignore bogus
expect_fail "diff wrong kind" 2 "debug_log_rec3.bin, byte offset 1024: a ring of 1028 bytes" "$VYRE" diff "$GOLDEN/debug_log_rec3.bin" "$GOLDEN/debug_log_rec3.bin" --kind ring
expect_ok "diff without --kind" "$VYRE" diff "$E/example-ring.bin" "$E/example-ring.bin"
expect_fail "diff missing file" 3 "nope.bin: cannot open" "$VYRE" diff nope.bin "$E/example-ring.bin" --kind ring

# --- one vocabulary: every command that writes one output takes -o/--output ------
for sub in encode-ring encode-control encode-debug-log encode-io-queue inspect diff report decode-debug dispatch replay bench devices; do
  expect_ok "$sub --help" "$VYRE" "$sub" --help
  if grep -q -- "-o,--output" "$WORK/.out"; then pass; else fail "vyre $sub has no -o,--output"; fi
done
expect_ok "decode-debug -o" "$VYRE" decode-debug "$GOLDEN/debug_log_rec3.bin" -o dd.txt
expect_same_bytes "decode-debug -o writes the lines" "$WORK/dd.txt" "$E/decode-rec3.txt"

# --- help and man pages ----------------------------------------------------------
for sub in encode-ring encode-control encode-debug-log encode-io-queue inspect decode-debug diff report; do
  expect_ok "$sub --help" "$VYRE" "$sub" --help
  if [[ -f "$SRC/man/vyre-$sub.1" ]] && grep -q "EXIT STATUS" "$SRC/man/vyre-$sub.1"; then pass
  else fail "man/vyre-$sub.1 missing or without EXIT STATUS"; fi
done

finish
