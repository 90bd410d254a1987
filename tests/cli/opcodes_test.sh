#!/usr/bin/env bash
# User opcode bodies (--opcodes OPS.cl, vyre-opcodes(7)) on the OpenCL
# backend (PoCL on CI; no device fails this test): the examples, every
# accessor and fault path, bad files, the program cache, packed inner ops,
# persistent mode, record and replay, the reference backend's refusal, the
# server; and the counters every backend agrees on.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export VYRE_CACHE_DIR="$WORK/cache"
EX="$SRC/examples/opcodes"

# observables FILE FIRST COUNT: the observable words of a control buffer, comma-separated.
observables() { "$VYRE" inspect "$1" --kind control --json | "$PY" -c "
import json, sys
o = json.load(sys.stdin)['observables']
print(','.join(str(v) for v in o[$2:$2 + $3]))"; }
# statuses FILE: the ring's slot statuses, comma-separated.
statuses() { "$VYRE" inspect "$1" --kind ring --json --all | "$PY" -c "
import json, sys
print(','.join(s['status'] for s in json.load(sys.stdin)['slots']))"; }
# expect_equal NAME GOT WANT
expect_equal() { if [[ "$2" == "$3" ]]; then pass; else fail "$1: got '$2', want '$3'"; fi; }

# --- the examples -------------------------------------------------------------
expect_ok "scale example" "$VYRE" dispatch --ring-spec "$EX/scale.json" --opcodes "$EX/scale.cl" --out-dir s --report /dev/null
expect_equal "scale example: observables" "$(observables "$WORK/s/control.bin" 0 4)" "0,7,14,21"
expect_ok "histogram example" "$VYRE" dispatch --ring-spec "$EX/histogram.json" --opcodes "$EX/histogram.cl" \
  --out-dir h --report /dev/null
expect_equal "histogram example: bins" "$(observables "$WORK/h/control.bin" 0 4)" "4,3,2,3"
"$VYRE" encode-control --observable 64 -o "$WORK/c64.bin"
expect_ok "dfa table" "$VYRE" dispatch --ring-spec "$EX/dfa-table.json" --control c64.bin --out-dir t --report /dev/null
expect_ok "dfa example" "$VYRE" dispatch --ring-spec "$EX/dfa.json" --control t/control.bin --opcodes "$EX/dfa.cl" \
  --out-dir d --report /dev/null
expect_equal "dfa example: final states" "$(observables "$WORK/d/control.bin" 0 4)" "2,2,0,1"

# --- every accessor and fault path -----------------------------------------------
cat > "$WORK/ops.cl" <<'EOF'
VYRE_OPCODE(0x200) { vyre_store(vyre_arg(0), vyre_arg(1)); }                 // store
VYRE_OPCODE(0x201) { vyre_store(160 + vyre_slot(), vyre_load(vyre_arg(0))); } // load
VYRE_OPCODE(0x202) { vyre_store(160 + vyre_slot(), vyre_atomic_add(vyre_arg(0), vyre_arg(1))); }
VYRE_OPCODE(0x203) { vyre_store(160 + vyre_slot(), vyre_cas(vyre_arg(0), vyre_arg(1), vyre_arg(2))); }
VYRE_OPCODE(0x204) { vyre_printf(vyre_arg(0), vyre_arg(1), vyre_arg(2)); }
VYRE_OPCODE(0x205) { vyre_store(160 + vyre_slot(), vyre_tenant() * 1000 + vyre_slot() + vyre_arg(11)); }
VYRE_OPCODE(0x206) { vyre_store(170, 66); vyre_fault(); vyre_store(171, 1); }  // the store before stays
VYRE_OPCODE(0x207) { vyre_store(172, vyre_arg(12)); }                          // arg 12 does not exist
VYRE_OPCODE(0x208) { uint x = vyre_load(1000000); vyre_store(171, 5 + x); }   // after a fault: nothing
VYRE_OPCODE(0x209) { vyre_store(176, 1); }                                     // one past the end
VYRE_OPCODE(0x20A) { vyre_atomic_add(0xFFFFFFFF, 1); }
VYRE_OPCODE(0x20B) { vyre_cas(200, 0, 1); }
VYRE_OPCODE(20) { vyre_store(vyre_arg(0), vyre_arg(1) + vyre_arg(2)); }        // a packed inner op
VYRE_OPCODE(21) { vyre_store(168, vyre_arg(3)); }                             // inner ops have 3 args
VYRE_OPCODE(9) { }                                                            // counted in METRICS
EOF
# Each slot writes words of its own (lanes run in any order): 160 + slot for
# slot-indexed results, and the words the comments name.
cat > "$WORK/ops-spec.json" <<'EOF'
{"slot_count": 18, "slots": [
  {"opcode": "0x200", "args": [175, 41]},
  {"opcode": "0x201", "args": [2]},
  {"opcode": "0x202", "args": [174, 5]},
  {"opcode": "0x203", "args": [173, 0, 9]},
  {"opcode": "0x204", "args": [7, 8, 9]},
  {"opcode": "0x205", "tenant": 0, "args": [0,0,0,0,0,0,0,0,0,0,0,3]},
  {"opcode": "0x206"},
  {"opcode": "0x207"},
  {"opcode": "0x208"},
  {"opcode": "0x209"},
  {"opcode": "0x20A"},
  {"opcode": "0x20B"},
  {"opcode": "PACKED_SLOT", "ops": [{"opcode": 20, "args": [166, 4, 5]}, {"opcode": "STORE_U32", "args": [12, 167]}]},
  {"opcode": "PACKED_SLOT", "ops": [{"opcode": 21, "args": [1, 2, 3]}]},
  {"opcode": 9},
  {"opcode": 9},
  {"opcode": "0x200", "args": [169, 1]}
]}
EOF
expect_ok "every accessor" "$VYRE" dispatch --ring-spec ops-spec.json --opcodes ops.cl --out-dir o --report o.json
expect_equal "statuses" "$(statuses "$WORK/o/ring.bin")" \
  "DONE,DONE,DONE,DONE,DONE,DONE,FAULT,FAULT,FAULT,FAULT,FAULT,FAULT,DONE,FAULT,DONE,DONE,DONE,EMPTY"
# Observables 0..15: the load of C[2] (the tenant base, 3), the old values of
# the add and the cas, tenant * 1000 + slot + arg11, the packed inner ops'
# stores, the store before vyre_fault(), and the words the add, the cas and
# the stores wrote; the faulted accessors and everything after them wrote
# nothing (171, 172, 168 stay 0).
expect_equal "observables" "$(observables "$WORK/o/control.bin" 0 16)" "0,3,0,0,0,8,9,12,0,1,66,0,0,9,5,41"
if "$PY" -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert r['faults'] == 7, r['faults']
assert r['fault_slots'] == [6, 7, 8, 9, 10, 11, 13], r['fault_slots']
assert r['metrics'].get('opcode_9') == 2 and r['metrics'].get('opcode_20') == 1, r['metrics']
assert r['debug']['records'][0]['fmt_id'] == 7 and r['debug']['records'][0]['args'] == [8, 9, 64]
assert r['debug']['records'][0]['slot'] == 4
" "$WORK/o.json" 2>"$WORK/.py"; then pass; else fail "report of every accessor: $(cat "$WORK/.py")"; fi

# --- bad files ----------------------------------------------------------------------
bad() {  # bad NAME CODE MESSAGE FILE-TEXT
  printf '%s' "$4" > "$WORK/bad.cl"
  expect_fail "$1" "$2" "$3" "$VYRE" dispatch --ring-spec "$EX/scale.json" --opcodes bad.cl --report /dev/null
}
bad "built-in opcode" 2 "bad.cl:2: opcode 0x00000005 is not a user opcode (MEMCPY)" $'// x\nVYRE_OPCODE(5) {}\n'
bad "reserved opcode" 2 "bad.cl:1: opcode 0x0000FFF0 is not a user opcode" $'VYRE_OPCODE(0xFFF0) {}\n'
bad "high-bit opcode" 2 "opcode 0x80000000 is not a user opcode" $'VYRE_OPCODE(0x80000000) {}\n'
bad "opcode twice" 2 "bad.cl:3: opcode 0x00000100 is defined twice (first at line 1)" \
  $'VYRE_OPCODE(0x100) {}\n\nVYRE_OPCODE(256u) {}\n'
bad "not a number" 2 "bad.cl:1: VYRE_OPCODE(ABC): N is not a number" $'VYRE_OPCODE(ABC) {}\n'
bad "no body at all" 2 "bad.cl: defines no VYRE_OPCODE(N) body" $'/* VYRE_OPCODE(8) {} */\n'
bad "does not compile" 2 "the user opcodes of bad.cl failed to build" $'VYRE_OPCODE(8) {\n}\nVYRE_OPCODE(9) {\n  int x = ;\n}\n'
if grep -q "bad.cl:4" "$WORK/.err" && grep -q "Fix: fix the errors above in bad.cl" "$WORK/.err"; then pass
else fail "the build log lacks the file's own line: $(cat "$WORK/.err")"; fi
expect_fail "missing file" 3 "nope.cl: cannot open" "$VYRE" dispatch --ring-spec "$EX/scale.json" --opcodes nope.cl
expect_fail "reference backend" 1 "the reference interpreter cannot run the OpenCL C bodies of" \
  "$VYRE" dispatch --ring-spec "$EX/scale.json" --opcodes "$EX/scale.cl" --backend reference

# --- the program cache follows the file's content -----------------------------------
cp "$EX/scale.cl" "$WORK/cached.cl"
cache_hit() { "$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['timings']['build_cache_hit'])" "$1"; }
"$VYRE" dispatch --ring-spec "$EX/scale.json" --opcodes "$WORK/cached.cl" --out-dir "$WORK/c1" --report "$WORK/c1.json"
"$VYRE" dispatch --ring-spec "$EX/scale.json" --opcodes "$WORK/cached.cl" --out-dir "$WORK/c2" --report "$WORK/c2.json"
sed -i 's/vyre_arg(0) \* vyre_arg(2)/vyre_arg(0) * vyre_arg(2) * 2/' "$WORK/cached.cl"
"$VYRE" dispatch --ring-spec "$EX/scale.json" --opcodes "$WORK/cached.cl" --out-dir "$WORK/c3" --report "$WORK/c3.json"
expect_equal "cache: miss, hit, miss after the change" \
  "$(cache_hit "$WORK/c1.json") $(cache_hit "$WORK/c2.json") $(cache_hit "$WORK/c3.json")" "False True False"
expect_equal "cache: the changed body runs" "$(observables "$WORK/c3/control.bin" 0 4)" "0,14,28,42"

# --- persistent mode, record and replay --------------------------------------------------
expect_ok "persistent mode" "$VYRE" dispatch --ring-spec "$EX/histogram.json" --opcodes "$EX/histogram.cl" \
  --mode persistent --max-iterations 4 --out-dir p --report /dev/null
expect_equal "persistent mode: each slot runs once" "$(observables "$WORK/p/control.bin" 0 4)" "4,3,2,3"
# A record keeps args 0..3: scale.cl reads no more.
expect_ok "record" "$VYRE" dispatch --ring-spec "$EX/scale.json" --opcodes "$EX/scale.cl" \
  --record rec.vrrl --out-dir r --report /dev/null
expect_ok "replay with the bodies" "$VYRE" replay rec.vrrl --opcodes "$EX/scale.cl" --json -o stream.json
expect_equal "replay: the recorded run's results" "$("$PY" -c "
import json, sys
print(','.join(map(str, json.load(open(sys.argv[1]))['rounds'][-1]['observables'][0:4])))" "$WORK/stream.json")" "0,7,14,21"
"$VYRE" replay "$WORK/rec.vrrl" --json -o "$WORK/stream-none.json" 2>/dev/null
expect_fail "a replay without the bodies differs" 1 "" \
  "$VYRE" replay rec.vrrl --opcodes "$EX/scale.cl" --compare "$WORK/stream-none.json"
if grep -q "observables\[1\]: 7 vs 0" "$WORK/.out"; then pass; else fail "the difference is not named: $(cat "$WORK/.out")"; fi

# --- the server ----------------------------------------------------------------------------
"$VYRE" serve --socket "$WORK/op.sock" --opcodes "$EX/scale.cl" 2>"$WORK/serve.log" &
server=$!
for _ in $(seq 100); do [[ -S "$WORK/op.sock" ]] && break; sleep 0.1; done
expect_ok "server with the same opcodes" "$VYRE" dispatch --server op.sock --ring-spec "$EX/scale.json" \
  --opcodes "$EX/scale.cl" --out-dir sv --report /dev/null
expect_equal "server: the bodies ran" "$(observables "$WORK/sv/control.bin" 0 4)" "0,7,14,21"
expect_fail "server, client without opcodes" 1 "runs the user opcodes of" \
  "$VYRE" dispatch --server op.sock --ring-spec "$EX/scale.json" --report /dev/null
expect_fail "server, other opcodes" 1 "not the ones this dispatch asks for" \
  "$VYRE" dispatch --server op.sock --ring-spec "$EX/histogram.json" --opcodes "$EX/histogram.cl" --report /dev/null
kill -TERM "$server"
wait "$server"

# --- counters every backend agrees on --------------------------------------------------------
cat > "$WORK/counters.json" <<'EOF'
{"slot_count": 4, "slots": [{"opcode": "NOP"}, {"opcode": "NOP"},
  {"opcode": "LOAD_U32", "args": [1, 0]}, {"opcode": "LOAD_U32", "args": [96, 1]}]}
EOF
for backend in opencl reference; do
  expect_ok "counters on $backend" "$VYRE" dispatch --backend "$backend" --ring-spec counters.json --out-dir "k-$backend" \
    --report /dev/null
  expect_equal "counters on $backend: pass-start values" "$(observables "$WORK/k-$backend/control.bin" 0 2)" "0,0"
done
expect_ok "counters: the buffers agree" "$VYRE" diff k-opencl/control.bin k-reference/control.bin --kind control
if "$VYRE" inspect "$WORK/k-opencl/control.bin" --kind control --json | "$PY" -c "
import json, sys
c = json.load(sys.stdin)
assert c['done_count'] == 4 and c['metrics'] == {'NOP': 2, 'LOAD_U32': 2}, c" 2>"$WORK/.py"; then pass
else fail "counters at the end of the pass: $(cat "$WORK/.py")"; fi
finish
