#!/usr/bin/env bash
# CLI tests of vyre dispatch --record and vyre replay: a recorded two-dispatch
# session replays to the session's own buffers, the streams of both backends
# agree, a tampered saved stream is caught, and bad logs, ranges and options
# fail with their documented codes. The OpenCL backend needs a device (PoCL
# on CI): with none, these tests fail.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E="$TD/expected/replay"
export VYRE_CACHE_DIR="$WORK/cache"
S1="$SRC/examples/session-1.json"
S2="$SRC/examples/session-2.json"

# The session: two dispatches, the second continuing from the first's buffers.
expect_ok "record dispatch 1" "$VYRE" dispatch --backend reference --ring-spec "$S1" --record s.vrrl --out-dir s1 \
  --report r1.json
cp "$WORK/r1.json" "$WORK/.out"
expect_schema "report with record" dispatch-report.schema.json
run "$PY" -c "import json; r = json.load(open('r1.json'))['record']; assert r == {'log': 's.vrrl', 'recorded': 6, 'epoch': 0, 'overwritten': 0, 'truncated_slots': []}, r"
if [[ $status -eq 0 ]]; then pass; else fail "record section of the report: $(cat "$WORK/.err")"; fi
expect_ok "record dispatch 2" "$VYRE" dispatch --backend reference --ring-spec "$S2" --control s1/control.bin \
  --debug-log s1/debug_log.bin --io-queue s1/io_queue.bin --record s.vrrl --out-dir s2 --report /dev/null
expect_ok "inspect the log" "$VYRE" inspect --kind replay s.vrrl
if grep -q "11 live records" "$WORK/.out"; then pass; else fail "log should hold 11 records: $(cat "$WORK/.out")"; fi

# Replaying it ends where the session ended.
expect_ok "replay on reference" "$VYRE" replay s.vrrl --backend reference --out-dir rr
expect_stdout_file "replay text" "$E/stream.txt"
for kind in control debug-log io-queue; do
  f=${kind//-/_}.bin
  expect_ok "replayed $kind equals the session's" "$VYRE" diff s2/$f rr/$f --kind $kind
done
expect_ok "replay --json" "$VYRE" replay s.vrrl --backend reference --json
expect_schema "replay stream schema" replay-stream.schema.json
expect_ok "replay --json -o" "$VYRE" replay s.vrrl --backend reference --json -o ref-stream.json

# Both backends, and a saved stream.
expect_ok "opencl vs reference" "$VYRE" replay s.vrrl --backend opencl --compare reference
if grep -q "observable streams equal: opencl and reference" "$WORK/.out"; then pass; else fail "compare: $(cat "$WORK/.out")"; fi
expect_ok "opencl vs saved stream" "$VYRE" replay s.vrrl --backend opencl --compare ref-stream.json --json
expect_schema "compare schema" replay-stream.schema.json
"$PY" -c "
import json
d = json.load(open('$WORK/ref-stream.json'))
d['rounds'][1]['observables'][8] += 1
json.dump(d, open('$WORK/tampered.json', 'w'))"
expect_fail "tampered stream differs" 1 "" "$VYRE" replay s.vrrl --backend reference --compare tampered.json
if grep -q "round 1: observables\[8\]: 15 vs 16" "$WORK/.out"; then pass; else fail "difference not named: $(cat "$WORK/.out")"; fi
expect_fail "compare with a bad stream file" 2 "bad.json: \$.rounds[0]: missing \"recorded_epoch\"" bash -c \
  "echo '{\"rounds\": [{}], \"slot_count\": 1, \"records_in_log\": 0, \"records_replayed\": 0}' > bad.json && '$VYRE' replay s.vrrl --backend reference --compare bad.json"
expect_fail "compare with an unknown backend" 2 "unknown backend \`cuda\`" "$VYRE" replay s.vrrl --compare cuda

# Epoch ranges and round splitting.
expect_ok "from epoch 1" "$VYRE" replay s.vrrl --backend reference --from-epoch 1 --json
cp "$WORK/.out" "$WORK/from.json"
run "$PY" -c "import json,sys; d = json.load(open('from.json')); assert len(d['rounds']) == 1 and d['records_replayed'] == 5 and d['rounds'][0]['epoch_before'] == 1, d"
if [[ $status -eq 0 ]]; then pass; else fail "--from-epoch 1: $(cat "$WORK/.err")"; fi
expect_ok "to epoch 0" "$VYRE" replay s.vrrl --backend reference --to-epoch 0
if grep -q "6 of 11 records in 1 round" "$WORK/.out"; then pass; else fail "--to-epoch 0: $(cat "$WORK/.out")"; fi
expect_fail "from after to" 2 "--from-epoch 5 is after --to-epoch 2" "$VYRE" replay s.vrrl --from-epoch 5 --to-epoch 2
# Two dispatches at one epoch on disjoint slots: one round by epoch, two by dispatch.
expect_ok "same-epoch dispatch a" "$VYRE" dispatch --backend reference --ring-spec "$S1" --record same.vrrl --report /dev/null
"$PY" -c "
import json
d = json.load(open('$S2'))
for s in d['slots']: s['slot'] = 10 + d['slots'].index(s)
del d['batch_fence']
d['slot_count'] = 16
json.dump(d, open('$WORK/disjoint.json', 'w'))"
expect_ok "same-epoch dispatch b" "$VYRE" dispatch --backend reference --ring-spec disjoint.json --record same.vrrl --report /dev/null
expect_ok "rounds by epoch" "$VYRE" replay same.vrrl --backend reference
if grep -q "in 1 round" "$WORK/.out" && grep -q -- "--rounds dispatch replays them as 2 rounds" "$WORK/.out"; then pass
else fail "epoch split note: $(cat "$WORK/.out")"; fi
expect_ok "rounds by dispatch" "$VYRE" replay same.vrrl --backend reference --rounds dispatch
if grep -q "in 2 rounds" "$WORK/.out"; then pass; else fail "--rounds dispatch: $(cat "$WORK/.out")"; fi

# What a record cannot hold is said, and where the log wraps.
expect_ok "wide packed slot" "$VYRE" dispatch --backend reference --ring-spec "$SRC/examples/ring-spec.json" --record wide.vrrl \
  --report /dev/null
if grep -q "slots 3); a VRRL0001 record keeps args 0..3" "$WORK/.err"; then pass; else fail "no truncation warning: $(cat "$WORK/.err")"; fi
expect_ok "small log wraps" "$VYRE" dispatch --backend reference --ring-spec "$S1" --record small.vrrl --record-capacity 4 \
  --report /dev/null
if grep -q "2 older records were overwritten" "$WORK/.err"; then pass; else fail "no wrap warning: $(cat "$WORK/.err")"; fi
# Without --record-capacity a new log is sized to what is recorded: twice the
# published slots, rounded up to a power of two, at least 1,024.
expect_ok "default capacity: small" "$VYRE" dispatch --backend reference --ring-spec "$S1" --record auto-small.vrrl -o /dev/null
expect_ok "inspect its capacity" "$VYRE" inspect auto-small.vrrl --json
if [[ "$(jq .capacity "$WORK/.out")" == 1024 ]]; then pass; else fail "default capacity of a small log: $(jq .capacity "$WORK/.out")"; fi
"$PY" "$SRC/bench/make_ring_spec.py" 3000 "$WORK/s3000.json"
expect_ok "default capacity: 3,000 published slots" "$VYRE" dispatch --backend reference --ring-spec s3000.json --record auto-big.vrrl -o /dev/null
run "$VYRE" inspect auto-big.vrrl --json --records 0:0
if [[ "$(jq -c '[.capacity, .records]' "$WORK/.out")" == "[8192,[]]" ]]; then pass; else fail "default capacity of a 3000-slot log: $(head -c 200 "$WORK/.out")"; fi
expect_ok "replay a wrapped upstream-format log" "$VYRE" replay "$TD/wrapped.vrrl" --backend reference --slot-count 64

# Bad logs and options.
expect_fail "missing log" 3 "nope.vrrl" "$VYRE" replay nope.vrrl
expect_fail "not a log" 2 "header magic is not VRRL0001" "$VYRE" replay "$S1"
head -c 100 "$WORK/s.vrrl" > "$WORK/short.vrrl"
expect_fail "truncated log" 2 "replay log is truncated" "$VYRE" replay short.vrrl
expect_fail "bad record magic" 2 "" "$VYRE" replay "$TD/badrecord.vrrl"
expect_fail "slot count too small" 2 "slot index is outside the 2-slot replay ring" "$VYRE" replay s.vrrl --slot-count 2 --backend reference
expect_fail "record to stdout" 1 "--record needs a file" "$VYRE" dispatch --backend reference --ring-spec "$S1" --record -
cp "$S1" "$WORK/not-a-log.vrrl"
expect_fail "record into a foreign file" 2 "not-a-log.vrrl" "$VYRE" dispatch --backend reference --ring-spec "$S1" \
  --record not-a-log.vrrl --report /dev/null
if cmp -s "$S1" "$WORK/not-a-log.vrrl"; then pass; else fail "a foreign file given to --record was changed"; fi
expect_fail "output to a missing directory" 3 "" "$VYRE" replay s.vrrl --backend reference -o nodir/x.txt
if [[ ! -e "$WORK/nodir" ]]; then pass; else fail "failed output left files"; fi

finish
