#!/usr/bin/env bash
# Nothing lost: SIGINT and SIGTERM stop runs cleanly with 128 + signal, a
# file-size limit is an I/O error that leaves no file, and SIGKILL at random
# points leaves every output either absent, or old and complete, or new and
# complete — never partial.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GRAFOS="${GRAFOS:?set GRAFOS to the grafos binary}"
export VYRE_CACHE_DIR="$WORK/cache"
T="$TD/tasklets"

# SIGINT / SIGTERM during a tasklet that never finishes on its own.
for sig in INT TERM; do
  "$GRAFOS" run-tasklet "$T/forever.cl" --target opencl --workers 3 --output "$WORK/never.bin" \
    >"$WORK/sig.out" 2>"$WORK/sig.err" &
  pid=$!
  sleep 1.5
  kill -"$sig" "$pid"
  wait "$pid"
  code=$?
  want=$([[ $sig == INT ]] && echo 130 || echo 143)
  if [[ $code -eq $want ]] && grep -q "interrupted by SIG$sig" "$WORK/sig.err" && [[ ! -e "$WORK/never.bin" ]]; then pass
  else fail "SIG$sig: exit $code (want $want), stderr: $(cat "$WORK/sig.err")"; fi
done

# A file-size limit (RLIMIT_FSIZE) makes the write fail: exit 3, no file, no temp file.
"$PY" "$SRC/bench/make_ring_spec.py" 4096 "$WORK/spec4k.json"
run bash -c "ulimit -f 64; '$VYRE' encode-ring spec4k.json -o limited.bin"
if [[ $status -eq 3 ]] && grep -q "limited.bin: write failed: File too large" "$WORK/.err" && [[ ! -e "$WORK/limited.bin" ]] \
   && ! ls -A "$WORK" | grep -q '\.tmp\.'; then pass
else fail "RLIMIT_FSIZE: exit $status, $(cat "$WORK/.err"), files: $(ls -A "$WORK")"; fi

# SIGKILL at random points of an encode that replaces an existing output.
"$PY" "$SRC/bench/make_ring_spec.py" 262144 "$WORK/spec256k.json"
"$VYRE" encode-ring "$WORK/spec256k.json" -o "$WORK/new.bin"
"$VYRE" encode-ring "$SRC/examples/ring-spec.json" -o "$WORK/old.bin"
# kill_replacing NAME RUNS MAX_DELAY OLD NEW TARGET CMD...: RUNS times, put OLD at
# TARGET, start CMD (which writes NEW's bytes to TARGET), SIGKILL it after a random
# delay below MAX_DELAY seconds; TARGET must always equal OLD or NEW.
kill_replacing() {
  local name="$1" runs="$2" max="$3" old="$4" new="$5" target="$6" bad=0 pid
  shift 6
  for _ in $(seq "$runs"); do
    cp "$old" "$target"
    "$@" &
    pid=$!
    sleep "$(awk -v m="$max" -v r="$RANDOM" 'BEGIN { printf "%.3f", m * r / 32768 }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if ! cmp -s "$target" "$old" && ! cmp -s "$target" "$new"; then bad=$((bad + 1)); fi
  done
  if [[ $bad -eq 0 ]]; then pass; else fail "$name: SIGKILL left $bad partial outputs"; fi
}
kill_replacing "encode-ring" 12 0.1 "$WORK/old.bin" "$WORK/new.bin" "$WORK/target.bin" \
  "$VYRE" encode-ring "$WORK/spec256k.json" -o "$WORK/target.bin"

# The same for a dispatch's --out-dir: each buffer old-and-complete or new-and-complete.
"$VYRE" dispatch --backend reference --ring-spec "$WORK/spec256k.json" --out-dir "$WORK/d-new" --report /dev/null
bad=0
for i in $(seq 8); do
  rm -rf "$WORK/d"
  "$VYRE" dispatch --backend reference --ring-spec "$WORK/spec256k.json" --out-dir "$WORK/d" --report /dev/null &
  pid=$!
  sleep "0.$((RANDOM % 10))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  for f in control ring debug_log io_queue; do
    if [[ -e "$WORK/d/$f.bin" ]] && ! cmp -s "$WORK/d/$f.bin" "$WORK/d-new/$f.bin"; then bad=$((bad + 1)); fi
  done
done
if [[ $bad -eq 0 ]]; then pass; else fail "SIGKILL left $bad partial dispatch outputs"; fi
# Absurd sizes fail fast with a clear error instead of allocating.
printf '{"slot_count": 4294967295}' > "$WORK/huge-spec.json"
expect_fail "slot_count 2^32-1" 2 "slot_count 4294967295 exceeds the megakernel allocation cap" "$VYRE" encode-ring huge-spec.json -o x.bin
expect_fail "debug capacity 2^31" 1 "--capacity: 2147483648 is not a whole number from 0 to 1048576" "$VYRE" encode-debug-log --capacity 2147483648 -o x.bin
expect_fail "observables 2^30" 1 "--observable: 1073741824 is not a whole number from 0 to 1048576" "$VYRE" encode-control --observable 1073741824 -o x.bin
expect_fail "workers 100000" 4 "workers is 100000, above the limit of 4096" "$GRAFOS" run-tasklet sum --workers 100000
expect_fail "shared region of 1 TiB" 4 "memory budget exceeded" "$GRAFOS" run-tasklet sum --workers 3 --shared-bytes 1024G
"$PY" -c "
import struct
open('$WORK/huge.vrrl', 'wb').write(b'VRRL0001' + struct.pack('<IIQQ', 1, 0, 1 << 40, 0))"
expect_fail "replay capacity 2^40" 2 "replay log capacity 1099511627776 exceeds max 1048576" "$VYRE" inspect huge.vrrl --kind replay
# SIGINT during a long dispatch (reference backend, persistent mode): 130, no outputs.
"$VYRE" dispatch --backend reference --mode persistent --max-iterations 1000000 --ring-spec "$WORK/spec256k.json" \
  --out-dir "$WORK/d-int" --report "$WORK/d-int.json" 2>"$WORK/dint.err" &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
code=$?
if [[ $code -eq 130 ]] && grep -q "interrupted by SIGINT" "$WORK/dint.err" && [[ ! -e "$WORK/d-int" && ! -e "$WORK/d-int.json" ]]; then pass
else fail "dispatch SIGINT: exit $code, $(cat "$WORK/dint.err")"; fi

# File-size limits for dispatch outputs and tasklet outputs: exit 3, nothing partial.
run bash -c "ulimit -f 512; '$VYRE' dispatch --backend reference --ring-spec spec256k.json --out-dir d-limited --report /dev/null"
if [[ $status -eq 3 ]] && grep -q "File too large" "$WORK/.err" && ! ls -A "$WORK/d-limited" 2>/dev/null | grep -q '\.tmp\.' \
   && [[ ! -e "$WORK/d-limited/ring.bin" ]]; then pass
else fail "dispatch RLIMIT_FSIZE: exit $status, $(cat "$WORK/.err")"; fi
"$PY" -c "import os; open('$WORK/keys.bin', 'wb').write(os.urandom(4 << 20))"
run bash -c "ulimit -f 1024; '$GRAFOS' run-tasklet sort --workers 3 --input keys.bin --output sorted.bin"
if [[ $status -eq 3 ]] && [[ ! -e "$WORK/sorted.bin" ]] && ! ls -A "$WORK" | grep -q '\.tmp\.'; then pass
else fail "run-tasklet RLIMIT_FSIZE: exit $status, $(cat "$WORK/.err")"; fi

# SIGKILL at random points of a tasklet that replaces an existing output.
"$GRAFOS" run-tasklet sort --workers 3 --input "$WORK/keys.bin" --output "$WORK/sorted-new.bin"
printf 'old output' > "$WORK/sorted-old.bin"
kill_replacing "run-tasklet" 8 1.0 "$WORK/sorted-old.bin" "$WORK/sorted-new.bin" "$WORK/sorted.bin" \
  "$GRAFOS" run-tasklet sort --workers 3 --input "$WORK/keys.bin" --output "$WORK/sorted.bin"
finish
