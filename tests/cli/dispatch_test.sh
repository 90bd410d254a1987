#!/usr/bin/env bash
# CLI tests of vyre dispatch and vyre devices: output buffers and reports
# against golden files on both backends, schemas, the program cache, and
# bad inputs. The OpenCL backend needs a device (PoCL on CI): with none,
# these tests fail.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E="$TD/expected/dispatch"
export VYRE_CACHE_DIR="$WORK/cache"
SPEC="$SRC/examples/dispatch-spec.json"
RES="$SRC/examples/resources.json"

expect_ok "devices" "$VYRE" devices
if grep -q "compute units" "$WORK/.out"; then pass; else fail "vyre devices lists no device: $(cat "$WORK/.out")"; fi
expect_ok "devices --json" "$VYRE" devices --json
expect_schema "devices schema" devices.schema.json

expect_ok "control for the dispatch" "$VYRE" encode-control --tenants 2 --observable 16 -o control.bin

# The report without what varies between machines and runs.
normalize() {
  "$PY" -c "
import json, sys
d = json.load(open(sys.argv[1]))
for k in ('timings', 'device', 'slots_per_second', 'backend', 'workgroup_size'):
    d.pop(k)
for r in d['io_requests']:
    if r['file']:
        r['file'] = r['file'].rsplit('/', 1)[-1]
print(json.dumps(d, indent=2, sort_keys=True))" "$1"
}

for backend in opencl reference; do
  expect_ok "dispatch $backend" "$VYRE" dispatch --backend "$backend" --ring-spec "$SPEC" --control control.bin \
    --resources "$RES" --out-dir "out-$backend" --report "report-$backend.json"
  (cd "$WORK" && normalize "report-$backend.json") > "$WORK/.out"
  expect_stdout_file "dispatch $backend report" "$E/report.json"
  cp "$WORK/report-$backend.json" "$WORK/.out"
  expect_schema "dispatch $backend report schema" dispatch-report.schema.json
  for buf in control ring debug_log io_queue; do
    [[ ${UPDATE_GOLDEN:-0} == 1 ]] && cp "$WORK/out-$backend/$buf.bin" "$E/$buf.bin"
    expect_same_bytes "dispatch $backend $buf.bin" "$WORK/out-$backend/$buf.bin" "$E/$buf.bin"
  done
done

# Guard bytes around every device buffer: the same buffers, nothing touched.
expect_ok "dispatch with guard bytes" "$VYRE" dispatch --guard-bytes 4096 --ring-spec "$SPEC" --control control.bin \
  --resources "$RES" --out-dir out-guarded --report guarded.json
expect_same_bytes "guarded ring" "$WORK/out-guarded/ring.bin" "$E/ring.bin"

# Persistent mode reaches the same buffers for this ring.
expect_ok "dispatch persistent" "$VYRE" dispatch --mode persistent --max-iterations 4 --ring-spec "$SPEC" \
  --control control.bin --resources "$RES" --out-dir out-persistent --report report-persistent.json
expect_same_bytes "persistent ring" "$WORK/out-persistent/ring.bin" "$E/ring.bin"
if "$PY" -c "import json,sys; d=json.load(open('$WORK/report-persistent.json')); sys.exit(not (d['passes']==8 and d['launches']==2))"
then pass; else fail "persistent: expected 2 launches of 4 iterations"; fi

# The second run of the same kernel comes from the program cache.
expect_ok "cached dispatch" "$VYRE" dispatch --ring-spec "$SPEC" --report cached.json
if "$PY" -c "import json,sys; sys.exit(not json.load(open('$WORK/cached.json'))['timings']['build_cache_hit'])"
then pass; else fail "second dispatch did not hit the program cache"; fi
expect_ok "--no-cache" "$VYRE" dispatch --ring-spec "$SPEC" --no-cache --report nocache.json
if "$PY" -c "import json,sys; sys.exit(json.load(open('$WORK/nocache.json'))['timings']['build_cache_hit'])"
then pass; else fail "--no-cache still used the cache"; fi
if ls "$VYRE_CACHE_DIR"/program-*.bin >/dev/null 2>&1; then pass; else fail "no program in the cache directory"; fi

# A ring file and stdin/stdout plumbing: report to stdout.
expect_ok "ring file to stdout report" bash -c "'$VYRE' encode-ring '$SPEC' | '$VYRE' dispatch --ring - --backend reference"
if "$PY" -c "import json,sys; json.load(open('$WORK/.out'))"; then pass; else fail "stdout report is not JSON"; fi

# --- bad inputs ---------------------------------------------------------------
head -c 636 "$WORK/control.bin" > "$WORK/short-control.bin"
expect_fail "short control" 2 "short-control.bin, byte offset 636: a control buffer of 636 bytes is shorter than its 640 bytes of fixed words" \
  "$VYRE" dispatch --ring-spec "$SPEC" --control short-control.bin --out-dir never
if [[ ! -e "$WORK/never" ]]; then pass; else fail "a refused dispatch created its output directory"; fi
head -c 100 /dev/zero > "$WORK/ring100.bin"
expect_fail "partial ring" 2 "ring100.bin, byte offset 64: a ring of 100 bytes is not a whole number of 64-byte slots" \
  "$VYRE" dispatch --ring ring100.bin
head -c 36 /dev/zero > "$WORK/io36.bin"
expect_fail "partial io queue" 2 "io36.bin, byte offset 32: an IO queue of 36 bytes is not a whole number of 32-byte slots" \
  "$VYRE" dispatch --ring-spec "$SPEC" --io-queue io36.bin
head -c 6 /dev/zero > "$WORK/dbg6.bin"
expect_fail "misaligned debug log" 2 "dbg6.bin, byte offset 4: a debug log of 6 bytes is not the cursor word and whole 16-byte PRINTF records" "$VYRE" dispatch --ring-spec "$SPEC" --debug-log dbg6.bin
expect_fail "no ring" 1 "one of --ring or --ring-spec is required" "$VYRE" dispatch
expect_fail "ring and spec" 1 "--ring and --ring-spec cannot be given together" "$VYRE" dispatch --ring x --ring-spec "$SPEC"
expect_fail "unknown device" 2 "--device no-such-device: no OpenCL device matches" "$VYRE" dispatch --ring-spec "$SPEC" --device no-such-device
expect_fail "missing ring file" 3 "ring: missing.bin: cannot open" "$VYRE" dispatch --ring missing.bin
expect_fail "bad resource map" 2 "\"x\": key is not a u32 resource id" bash -c "echo '{\"x\": \"f\"}' > '$WORK/r.json'; '$VYRE' dispatch --ring-spec '$SPEC' --resources '$WORK/r.json'"
expect_fail "bad mode" 1 "--mode" "$VYRE" dispatch --ring-spec "$SPEC" --mode forever
expect_fail "huge work-group" 2 "--workgroup-size 65536" "$VYRE" dispatch --ring-spec "$SPEC" --workgroup-size 65536

# vyre serve: the same buffers through a server that keeps the context.
"$VYRE" serve --socket "$WORK/serve.sock" --idle-exit 60 >/dev/null 2>"$WORK/serve.log" &
server=$!
for _ in $(seq 100); do [[ -S "$WORK/serve.sock" ]] && break; sleep 0.1; done
expect_ok "dispatch via server" "$VYRE" dispatch --server "$WORK/serve.sock" --ring-spec "$SPEC" --control control.bin \
  --resources "$RES" --out-dir out-server --report report-server.json
for buf in control ring debug_log io_queue; do
  expect_same_bytes "server $buf.bin" "$WORK/out-server/$buf.bin" "$E/$buf.bin"
done
(cd "$WORK" && normalize report-server.json) > "$WORK/.out"
expect_stdout_file "server report" "$E/report.json"
if [[ "$(stat -c %a "$WORK/serve.sock")" == 700 ]]; then pass; else fail "the server socket is not owner-only"; fi
expect_ok "VYRE_SERVER" env VYRE_SERVER="$WORK/serve.sock" "$VYRE" dispatch --ring-spec "$SPEC" --report env.json
if grep -q "via vyre serve" "$WORK/env.json"; then pass; else fail "VYRE_SERVER was not used"; fi
expect_fail "short control refused with --server" 2 "a control buffer of 636 bytes is shorter" \
  "$VYRE" dispatch --server "$WORK/serve.sock" --ring-spec "$SPEC" --control short-control.bin
expect_fail "server work-group mismatch" 1 "the server runs work-groups of" \
  "$VYRE" dispatch --server "$WORK/serve.sock" --ring-spec "$SPEC" --workgroup-size 8
expect_fail "--server with the reference backend" 1 "a server runs the opencl backend" \
  "$VYRE" dispatch --server "$WORK/serve.sock" --ring-spec "$SPEC" --backend reference
expect_fail "second server on the socket" 1 "a dispatch server already listens on" timeout 60 "$VYRE" serve --socket "$WORK/serve.sock"
kill -TERM "$server"
wait "$server"
if [[ $? -eq 143 && ! -e "$WORK/serve.sock" ]] && grep -q "served 2 dispatch" "$WORK/serve.log"; then pass
else fail "server did not stop cleanly after SIGTERM: $(cat "$WORK/serve.log")"; fi
expect_fail "no server" 3 "no dispatch server answers" "$VYRE" dispatch --server "$WORK/serve.sock" --ring-spec "$SPEC"

for sub in dispatch devices serve; do
  expect_ok "$sub --help" "$VYRE" "$sub" --help
  if grep -q "EXIT STATUS" "$SRC/man/vyre-$sub.1" 2>/dev/null; then pass; else fail "man/vyre-$sub.1 missing or without EXIT STATUS"; fi
done
finish
