#!/usr/bin/env bash
# The tools as shell citizens: one signal stops a run promptly (also inside
# an OpenCL launch and while a read of stdin or a FIFO blocks) with 128 + N
# and the old outputs kept; outputs are all or nothing; stdin and stdout are
# not shared by two streams; JSON inputs refuse repeated keys; empty buffers
# are refused; messages name the option, file or path and the fix.
# The OpenCL cases run on PoCL on CI: with no device they fail.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GRAFOS="${GRAFOS:?set GRAFOS to the grafos binary}"
export VYRE_CACHE_DIR="$WORK/cache"
SPEC="$SRC/examples/ring-spec.json"
T="$TD/tasklets"

"$PY" "$SRC/bench/make_ring_spec.py" 65536 "$WORK/spec64k.json"
"$VYRE" encode-ring "$WORK/spec64k.json" -o "$WORK/ring64k.bin"

# stopped NAME SIGNAL DELAY LIMIT CMD...: starts CMD in $WORK, sends SIGNAL
# after DELAY seconds and expects exit 128 + N within LIMIT seconds (a bound
# far above what a working stop takes, far below what a lost signal costs),
# with the interruption message.
stopped() {
  local name="$1" sig="$2" delay="$3" limit="$4" pid start code elapsed
  shift 4
  (cd "$WORK" && exec "$@") >"$WORK/.out" 2>"$WORK/.err" &
  pid=$!
  sleep "$delay"
  start=$(date +%s%N)
  kill -"$sig" "$pid"
  wait "$pid"
  code=$?
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  local want=$([[ $sig == INT ]] && echo 130 || echo 143)
  if [[ $code -eq $want && $elapsed -lt $((limit * 1000)) ]] && grep -q "interrupted by SIG$sig" "$WORK/.err"; then pass
  else fail "$name: exit $code (want $want) after ${elapsed} ms; stderr: $(cat "$WORK/.err")"; fi
}

# old_outputs_kept NAME FILE...: each FILE still holds "old".
old_outputs_kept() {
  local name="$1" f bad=""
  shift
  for f in "$@"; do [[ $(cat "$WORK/$f" 2>/dev/null) == old ]] || bad+=" $f"; done
  if [[ -z $bad ]]; then pass; else fail "$name: replaced or removed:$bad"; fi
}
put_old() { local f; for f in "$@"; do mkdir -p "$(dirname "$WORK/$f")"; printf old > "$WORK/$f"; done; }

# --- one signal stops a long OpenCL launch ---------------------------------
put_old od/control.bin od/ring.bin od/debug_log.bin od/io_queue.bin r.json
stopped "dispatch opencl persistent SIGTERM" TERM 2 5 "$VYRE" dispatch --ring ring64k.bin --mode persistent \
  --max-iterations 1000000 --out-dir od --report r.json
old_outputs_kept "dispatch SIGTERM keeps old outputs" od/control.bin od/ring.bin od/debug_log.bin od/io_queue.bin r.json
stopped "dispatch opencl persistent SIGINT" INT 2 5 "$VYRE" dispatch --ring ring64k.bin --mode persistent \
  --max-iterations 1000000 --out-dir od --report r.json
put_old bench.txt plot.svg
stopped "bench opencl SIGTERM" TERM 2 5 "$VYRE" bench --ring ring64k.bin --mode persistent --max-iterations 1000000 \
  --repeat 3 -o bench.txt --plot plot.svg
old_outputs_kept "bench SIGTERM keeps old outputs" bench.txt plot.svg
"$VYRE" dispatch --backend reference --ring-spec "$SPEC" --record "$WORK/rec.vrrl" --report /dev/null
put_old replay.txt
stopped "replay opencl SIGTERM" TERM 2 5 "$VYRE" replay rec.vrrl --slot-count 65536 --mode persistent \
  --max-iterations 1000000 -o replay.txt
old_outputs_kept "replay SIGTERM keeps old outputs" replay.txt
put_old never.bin never.json
stopped "run-tasklet opencl SIGTERM" TERM 2 5 "$GRAFOS" run-tasklet "$T/forever.cl" --target opencl --workers 3 \
  -o never.bin --report never.json
old_outputs_kept "run-tasklet SIGTERM keeps old outputs" never.bin never.json
stopped "grafos bench opencl SIGINT" INT 2 5 "$GRAFOS" bench "$T/forever.cl" --target opencl --size 4K -o bench.txt
old_outputs_kept "grafos bench SIGINT keeps old outputs" bench.txt
# A kernel that a stop cannot reach (one endless phase) is ended by the forced stop.
cat > "$WORK/spin.cl" <<'EOF'
__kernel void grafos_worker(GRAFOS_PARAMS) {}
__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  volatile uint spin = 1;
  while (spin) {}
}
EOF
stopped "run-tasklet endless kernel SIGTERM" TERM 3 5 "$GRAFOS" run-tasklet spin.cl --target opencl --workers 2 \
  -o never.bin
# vyre serve: a signal while idle and while a request runs; the socket is removed.
"$VYRE" serve --socket "$WORK/s.sock" 2>"$WORK/serve.err" &
server=$!
for _ in $(seq 100); do [[ -S "$WORK/s.sock" ]] && break; sleep 0.1; done
start=$(date +%s%N)
kill -TERM "$server"
wait "$server"
code=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
if [[ $code -eq 143 && $elapsed -lt 2000 && ! -e "$WORK/s.sock" ]]; then pass
else fail "serve idle SIGTERM: exit $code after $elapsed ms, socket $(ls "$WORK/s.sock" 2>&1)"; fi
if grep -q "listening on $WORK/s.sock" "$WORK/serve.err"; then pass; else fail "serve did not say it listens: $(cat "$WORK/serve.err")"; fi
"$VYRE" serve --socket "$WORK/s2.sock" 2>"$WORK/serve2.err" &
server=$!
for _ in $(seq 100); do [[ -S "$WORK/s2.sock" ]] && break; sleep 0.1; done
"$VYRE" dispatch --server "$WORK/s2.sock" --ring "$WORK/ring64k.bin" --mode persistent --max-iterations 1000000 \
  --report "$WORK/via.json" 2>"$WORK/client.err" &
client=$!
sleep 2
start=$(date +%s%N)
kill -TERM "$server"
wait "$server"
code=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
wait "$client"
client_code=$?
if [[ $code -eq 143 && $elapsed -lt 5000 && $client_code -ne 0 && ! -e "$WORK/via.json" ]]; then pass
else fail "serve busy SIGTERM: server exit $code after $elapsed ms, client exit $client_code: $(cat "$WORK/client.err")"; fi

# --- one signal stops a process blocked on its input -----------------------
mkfifo "$WORK/in.fifo"
stopped "inspect blocked on a FIFO" TERM 1 3 "$VYRE" inspect in.fifo --kind ring
stopped "inspect blocked on stdin" TERM 1 3 bash -c "exec '$VYRE' inspect - --kind ring 3<>in.fifo < in.fifo"
stopped "encode-ring blocked on stdin SIGINT" INT 1 3 bash -c "exec '$VYRE' encode-ring - -o x.bin 3<>in.fifo < in.fifo"
# ... and on its output: a FIFO nobody reads.
mkfifo "$WORK/out.fifo"
stopped "encode-ring blocked on an output FIFO" TERM 1 3 "$VYRE" encode-ring "$SPEC" -o out.fifo

# --- all or nothing ---------------------------------------------------------
put_old od/control.bin od/ring.bin od/debug_log.bin od/io_queue.bin
expect_fail "report in a missing directory" 3 "missing-dir/r.json: its directory missing-dir does not exist" \
  "$VYRE" dispatch --ring-spec "$SPEC" --backend reference --out-dir od --report missing-dir/r.json
old_outputs_kept "a failed report replaces no buffer" od/control.bin od/ring.bin od/debug_log.bin od/io_queue.bin
mkdir -p "$WORK/a-dir"
expect_fail "report is a directory" 1 "--report a-dir is a directory" \
  "$VYRE" dispatch --ring-spec "$SPEC" --backend reference --out-dir od --report a-dir
old_outputs_kept "a directory report replaces no buffer" od/control.bin od/ring.bin od/debug_log.bin od/io_queue.bin
expect_fail "--out-dir -" 1 "--out-dir - : a directory of several buffers cannot go to stdout" \
  "$VYRE" dispatch --ring-spec "$SPEC" --backend reference --out-dir - --report /dev/null
if [[ ! -e "$WORK/-" ]]; then pass; else fail "--out-dir - made a directory named -"; fi
expect_fail "--plot and -o name one file" 1 "--plot and -o both name x.txt" \
  "$VYRE" bench --backend reference --ring-spec "$SPEC" --plot x.txt -o x.txt
expect_fail "--out-dir file and --report name one file" 1 "--out-dir and --report both name" \
  "$VYRE" dispatch --ring-spec "$SPEC" --backend reference --out-dir od --report od/ring.bin
expect_fail "--record and --report name one file" 1 "--report and --record both name" \
  "$VYRE" dispatch --ring-spec "$SPEC" --backend reference --report log.vrrl --record log.vrrl
ln -sf r-target.json "$WORK/r-link.json"
expect_fail "a symlink and its target are one file" 1 "both name" \
  "$VYRE" bench --backend reference --ring-spec "$SPEC" --plot r-link.json -o r-target.json
# A dispatch that fails after the run (the record log is not a log) writes nothing.
put_old od/control.bin od/ring.bin od/debug_log.bin od/io_queue.bin r.json
printf 'not a log' > "$WORK/bad.vrrl"
expect_fail "bad record log" 2 "bad.vrrl" \
  "$VYRE" dispatch --ring-spec "$SPEC" --backend reference --out-dir od --report r.json --record bad.vrrl
old_outputs_kept "a bad record log replaces nothing" od/control.bin od/ring.bin od/debug_log.bin od/io_queue.bin r.json
# A new --out-dir that cannot be filled is removed again.
run bash -c "ulimit -f 8; '$VYRE' dispatch --backend reference --ring-spec '$WORK/spec64k.json' --out-dir new-od --report r2.json"
if [[ $status -eq 3 && ! -e "$WORK/new-od" && ! -e "$WORK/r2.json" ]]; then pass
else fail "failed --out-dir left behind: exit $status, $(ls -A "$WORK/new-od" 2>&1)"; fi

# A signal that meets the final write either stops the run (128 + N, the old
# output kept) or lets it finish (exit 0, the new output): never a 143 with
# the output replaced. Signals at many moments around the commit of a
# 40 MB output.
head -c 40000000 /dev/urandom > "$WORK/big.bin"
"$GRAFOS" run-tasklet sort --input "$WORK/big.bin" -o "$WORK/sorted.bin"
mixed=""
for delay in 0.05 0.1 0.15 0.2 0.25 0.3 0.35 0.4 0.5 0.6; do
  printf old > "$WORK/o.bin"
  "$GRAFOS" run-tasklet sort --input "$WORK/big.bin" -o "$WORK/o.bin" 2>/dev/null &
  pid=$!
  sleep "$delay"
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  code=$?
  if [[ $code -eq 143 ]] && [[ $(cat "$WORK/o.bin") == old ]]; then :
  elif [[ $code -eq 0 ]] && cmp -s "$WORK/o.bin" "$WORK/sorted.bin"; then :
  else mixed+=" $delay:exit-$code:$(stat -c %s "$WORK/o.bin")"; fi
done
if [[ -z $mixed ]]; then pass; else fail "a signal around the commit gave mixed results:$mixed"; fi
rm -f "$WORK/big.bin" "$WORK/sorted.bin" "$WORK/o.bin"

# --- stdin and stdout are not shared ---------------------------------------
expect_fail "two stdin inputs" 1 "--ring and --control both read stdin" \
  "$VYRE" dispatch --ring - --control - --backend reference
expect_fail "diff of two stdins" 2 "A and B both read stdin" "$VYRE" diff - - --kind ring
"$VYRE" encode-ring "$SPEC" -o "$WORK/stdin-ring.bin"
expect_fail "stdin as - and /dev/stdin" 1 "--ring and --control both read stdin" \
  bash -c "'$VYRE' dispatch --backend reference --ring - --control /dev/stdin < stdin-ring.bin"
expect_fail "stdin as /proc/self/fd/0 and /dev/stdin, a pipe" 1 "--ring and --control both read stdin" \
  bash -c "cat stdin-ring.bin | '$VYRE' dispatch --backend reference --ring /proc/self/fd/0 --control /dev/stdin"
expect_fail "diff of - and /dev/stdin" 2 "A and B both read stdin" \
  bash -c "'$VYRE' diff - /dev/stdin --kind ring < stdin-ring.bin"
expect_fail "report and output on stdout" 1 "-o and --report both write to stdout" \
  bash -c "'$GRAFOS' run-tasklet sum --workers 2 --report - > /dev/null"
expect_fail "bench table and plot on stdout" 1 "--plot and -o both write to stdout" \
  bash -c "'$VYRE' bench --backend reference --ring-spec '$SPEC' --plot - > /dev/null"

# --- JSON inputs refuse a key written twice ---------------------------------
printf '{"slot_count": 4, "slots": [{"opcode": "NOP"}], "slots": []}' > "$WORK/dup.json"
expect_fail "spec with slots twice" 2 "dup.json: slots: key \"slots\" appears twice in this object" \
  "$VYRE" encode-ring dup.json -o x.bin
printf '{"slot_count": 2, "slots": [{"opcode": "NOP"}, {"opcode": "STORE_U32", "args": [1, 2], "args": [3]}]}' > "$WORK/dup2.json"
expect_fail "spec with args twice" 2 "dup2.json: slots[1].args: key \"args\" appears twice" "$VYRE" encode-ring dup2.json -o x.bin
printf '{"1": "one {0}", "0x1": "also one"}' > "$WORK/dup-formats.json"
"$VYRE" encode-debug-log -o "$WORK/log.bin"
expect_fail "format table with 1 and 0x1" 2 "fmt id 1 is already defined by key" \
  "$VYRE" decode-debug log.bin --formats dup-formats.json
printf '{"7": "a.bin", "7": "b.bin"}' > "$WORK/dup-res.json"
expect_fail "resource map with 7 twice" 2 "dup-res.json: 7: key \"7\" appears twice" \
  "$VYRE" dispatch --backend reference --ring-spec "$SPEC" --resources dup-res.json --report /dev/null
printf '{"7": "a.bin", "0x7": "b.bin"}' > "$WORK/dup-res2.json"
expect_fail "resource map with 7 and 0x7" 2 "resource id 7 is mapped twice" \
  "$VYRE" dispatch --backend reference --ring-spec "$SPEC" --resources dup-res2.json --report /dev/null
"$VYRE" replay "$WORK/rec.vrrl" --backend reference --json -o "$WORK/stream.json"
"$PY" -c "
import sys
t = open(sys.argv[1]).read()
open(sys.argv[2], 'w').write(t.replace('{', '{\"log\": \"x\",', 1))" "$WORK/stream.json" "$WORK/dup-stream.json"
expect_fail "saved stream with a key twice" 2 "dup-stream.json: log: key \"log\" appears twice" \
  "$VYRE" replay rec.vrrl --backend reference --compare dup-stream.json

# --- empty buffers are not rings or IO queues -------------------------------
: > "$WORK/empty.bin"
expect_fail "dispatch of an empty ring" 2 "empty.bin, byte offset 0: empty: a ring holds at least one 64-byte slot" \
  "$VYRE" dispatch --ring empty.bin --backend reference --report /dev/null
expect_fail "diff of two empty rings" 2 "empty.bin, byte offset 0: empty: a ring holds at least one" \
  "$VYRE" diff empty.bin empty.bin --kind ring
expect_fail "inspect an empty IO queue" 2 "empty: an IO queue holds at least one 32-byte slot" \
  "$VYRE" inspect empty.bin --kind io-queue
expect_fail "dispatch with an empty IO queue" 2 "empty.bin, byte offset 0: empty: an IO queue" \
  "$VYRE" dispatch --ring-spec "$SPEC" --io-queue empty.bin --backend reference --report /dev/null
printf '{"slot_count": 0}' > "$WORK/zero.json"
expect_fail "spec of 0 slots" 2 "zero.json: slot_count: a ring needs at least one slot" "$VYRE" encode-ring zero.json -o x.bin

# --- messages: the tool, the option or file, the limit, the fix --------------
expect_fail "missing positional" 1 "vyre encode-ring: error: SPEC is required. Fix: see \`vyre encode-ring --help\`" \
  "$VYRE" encode-ring
expect_fail "u32 option out of range" 1 "vyre encode-control: error: --tenants: 4294967296 is not a whole number from 0 to 4294967295" \
  "$VYRE" encode-control --tenants 4294967296 -o x.bin
expect_fail "unknown option" 1 "vyre inspect: error: The following argument was not expected: --bogus. Fix:" \
  "$VYRE" inspect x --kind ring --bogus
printf '{"slot_count": 1, "slots": [{"opcode": "STORE_U32", "args": [16.5]}]}' > "$WORK/frac.json"
expect_fail "fraction in a spec" 2 "slots[0].args[0]: 16.5 is not a whole number" "$VYRE" encode-ring frac.json -o x.bin
printf '{"slot_count": 1, "slots": [{"opcode": "STORE_U32", "args": [18446744073709551616]}]}' > "$WORK/big.json"
expect_fail "2^64 in a spec" 2 "slots[0].args[0]: 1.8446744073709552e+19 does not fit in a u32 word" \
  "$VYRE" encode-ring big.json -o x.bin
expect_fail "negative size" 1 "--size -5: not a size" "$GRAFOS" bench sum --size -5
expect_fail "negative region" 1 "--shared-bytes -5: not a size" "$GRAFOS" run-tasklet sum --workers 2 --shared-bytes -5
expect_fail "timeout nan" 1 "--timeout: nan is not a number of seconds greater than 0" \
  "$GRAFOS" run-tasklet sum --workers 2 --timeout nan
if ! grep -qE '[0-9]{40}' "$WORK/.err"; then pass; else fail "a range printed with many digits: $(cat "$WORK/.err")"; fi
expect_fail "tasklet output to a terminal suggests -o" 1 "pass -o FILE" \
  "$PY" "$SRC/tests/cli/stderr_on_tty.py" --stdout "$GRAFOS" run-tasklet sum --workers 2
expect_ok "run-tasklet takes -o" "$GRAFOS" run-tasklet sum --workers 2 -o sum.bin
printf 'VRRL0001 broken' > "$WORK/x.vrrl"
expect_fail "replay log named once" 2 "x.vrrl" "$VYRE" replay x.vrrl --backend reference
if ! grep -q "x.vrrl: x.vrrl" "$WORK/.err"; then pass; else fail "doubled file name: $(cat "$WORK/.err")"; fi
cat > "$WORK/bad-tasklet.cl" <<'EOF'
__kernel void grafos_worker(GRAFOS_PARAMS) {}
__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  undeclared_thing = 1;
}
EOF
expect_fail "a user's tasklet that does not build" 8 "the tasklet bad-tasklet.cl failed to build" \
  "$GRAFOS" run-tasklet bad-tasklet.cl --target opencl --workers 2 -o x.bin
if grep -q "bad-tasklet.cl:3" "$WORK/.err" && grep -q "Fix: fix the errors above in bad-tasklet.cl" "$WORK/.err"; then pass
else fail "build log without the file's own line numbers: $(cat "$WORK/.err")"; fi
printf 'x' > "$WORK/not-a-socket"
expect_fail "serve on a path that is not a socket" 1 "not-a-socket exists and is not a socket" \
  "$VYRE" serve --socket not-a-socket
if ! grep -q "listening" "$WORK/.err"; then pass; else fail "serve said it listens before it could: $(cat "$WORK/.err")"; fi

# Found by a review: each of these was accepted or misleading before.
printf '{"slot_count": 1, "slots": [{"opcode": "STORE_U32", "args": [1e3]}]}' > "$WORK/exp.json"
expect_fail "an exponent in a spec" 2 "slots[0].args[0]: 1000.0 is written as a fraction or an exponent, not as an integer. Fix: write it as an integer, e.g. 1000" \
  "$VYRE" encode-ring exp.json -o x.bin
"$VYRE" encode-ring "$SPEC" -o "$WORK/kind-ring.bin"
"$VYRE" encode-control -o "$WORK/kind-control.bin"
expect_ok "a control buffer as the ring runs" "$VYRE" dispatch --backend reference --ring kind-control.bin -o x.json
if grep -q "note: kind-control.bin, byte offset 12: read as a ring, .*it looks like a control buffer" "$WORK/.err"; then pass
else fail "no note for a control buffer as the ring: $(cat "$WORK/.err")"; fi
expect_ok "a ring as the control buffer runs" "$VYRE" dispatch --backend reference --ring-spec "$SPEC" \
  --control kind-ring.bin -o x.json
if grep -q "word 2 (TENANT_BASE) is 0.*it looks like a ring" "$WORK/.err"; then pass
else fail "no note for a ring as the control buffer: $(cat "$WORK/.err")"; fi
expect_ok "a control buffer as the IO queue runs" "$VYRE" dispatch --backend reference --ring-spec "$SPEC" \
  --io-queue kind-control.bin -o x.json
if grep -q "read as an IO queue.*it looks like a control buffer" "$WORK/.err"; then pass
else fail "no note for a control buffer as the IO queue: $(cat "$WORK/.err")"; fi
expect_ok "matching buffers run without a note" "$VYRE" dispatch --backend reference --ring kind-ring.bin \
  --control kind-control.bin -o x.json
if [[ ! -s "$WORK/.err" ]]; then pass; else fail "a note for matching buffers: $(cat "$WORK/.err")"; fi
expect_fail "a ring read as a replay log" 2 "read as a replay log, it lacks the VRRL0001 magic; it looks like a ring. Fix: pass --kind ring" \
  "$VYRE" inspect kind-ring.bin --kind replay
expect_fail "a former option name beside the new one" 1 "--observables and its former name were both given" \
  "$VYRE" encode-control --observables 3 --observable 4 -o x.bin
expect_fail "an empty --slots" 1 "--slots: the value is empty" "$VYRE" inspect kind-ring.bin --slots ''
expect_fail "an empty --socket" 1 "--socket: the value is empty" "$VYRE" serve --socket ''
expect_fail "fuel exhausted says the fix" 5 "Fix: raise the pool (--fuel)" \
  "$GRAFOS" run-tasklet sum --workers 2 --input kind-ring.bin --fuel 0 -o x.bin
head -c 16000000 /dev/zero > "$WORK/zeros.bin"
expect_fail "a deadline says the fix" 6 "Fix: raise --timeout" \
  "$GRAFOS" run-tasklet sort --workers 2 --input zeros.bin --timeout 1e-9 -o x.bin
rm -f "$WORK/zeros.bin"
expect_ok "completion -o" "$VYRE" completion bash -o completion.sh
if grep -q "_vyre" "$WORK/completion.sh"; then pass; else fail "completion -o wrote no script"; fi
expect_fail "--help to a closed stdout" 3 "<stdout>: write failed" bash -c "'$VYRE' --help >&-"
"$VYRE" dispatch --backend reference --ring-spec "$SPEC" --record "$WORK/newdir.vrrl" -o /dev/null
expect_ok "replay --out-dir NEW -o NEW/stream.txt" "$VYRE" replay newdir.vrrl --backend reference --out-dir fresh-dir \
  -o fresh-dir/stream.txt
if [[ -s "$WORK/fresh-dir/stream.txt" && -s "$WORK/fresh-dir/ring.bin" ]]; then pass; else fail "replay into a new directory"; fi

# One file reached as stdout or a descriptor and as a path is one output.
printf old > "$WORK/same.txt"
expect_fail "stdout and --svg on one file" 1 "-o and --svg both name" \
  bash -c "'$VYRE' inspect kind-ring.bin --summary --svg same.txt > same.txt"
expect_fail "a descriptor and -o on one file" 1 "both name /proc/self/fd/3" \
  bash -c "'$VYRE' inspect kind-ring.bin --summary -o same.txt --svg /proc/self/fd/3 3>>same.txt"
# Concurrent recordings into one log take turns: every record is kept.
for i in 1 2 3 4 5; do
  "$VYRE" dispatch --backend reference --ring-spec "$SRC/examples/session-1.json" --record "$WORK/together.vrrl" \
    -o /dev/null &
done
wait
expect_ok "inspect the log of concurrent recordings" "$VYRE" inspect together.vrrl --kind replay
if head -1 "$WORK/.out" | grep -q "30 live records"; then pass; else fail "records lost: $(head -1 "$WORK/.out")"; fi

# --- timings count from the inputs in memory ---------------------------------
run bash -c "(sleep 1.5; cat '$SPEC') | '$VYRE' dispatch --backend reference --ring-spec - --report t.json"
if [[ $status -eq 0 ]] && "$PY" -c "
import json, sys
t = json.load(open(sys.argv[1]))['timings']['total_ms']
sys.exit(0 if t < 1000 else 1)" "$WORK/t.json"; then pass
else fail "total_ms counts the wait for stdin: $(cat "$WORK/t.json" 2>/dev/null | head -c 300)"; fi
finish
