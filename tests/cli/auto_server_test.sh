#!/usr/bin/env bash
# VYRE_SERVER=auto: the first dispatch starts a private server and later
# commands (dispatch, bench, replay) reuse it; one server per set of device
# choices; concurrent first uses start one; the directory and socket are
# owner-only; a server killed mid-request is a clear error and the next
# call starts another; a client stopped mid-launch frees the server; idle
# exit; a server that cannot start quotes its log. Needs an OpenCL device
# (PoCL on CI).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E="$TD/expected/dispatch"
SPEC="$SRC/examples/dispatch-spec.json"
RES="$SRC/examples/resources.json"
export VYRE_CACHE_DIR="$WORK/cache"
export XDG_RUNTIME_DIR="$WORK/xdg"
export VYRE_SERVER=auto
mkdir -m 700 "$XDG_RUNTIME_DIR"
DIR="$XDG_RUNTIME_DIR/vyre"
# Every server this test starts has a socket under $WORK: stop them at the end.
trap 'pkill -KILL -f -- "serve --socket $WORK/" 2>/dev/null; rm -rf "$WORK"' EXIT

servers() { pgrep -f -- "serve --socket $1/" | sort; }
count() { servers "$1" | wc -l; }

expect_ok "control" "$VYRE" encode-control --tenants 2 --observable 16 -o control.bin
expect_ok "first dispatch starts a server" "$VYRE" dispatch --ring-spec "$SPEC" --control control.bin \
  --resources "$RES" --out-dir out1 --report r1.json
for buf in control ring debug_log io_queue; do
  expect_same_bytes "auto server $buf.bin" "$WORK/out1/$buf.bin" "$E/$buf.bin"
done
if grep -q "via vyre serve" "$WORK/r1.json"; then pass; else fail "the first dispatch did not run on a server"; fi
expect_equal() { if [[ "$2" == "$3" ]]; then pass; else fail "$1: got '$2', expected '$3'"; fi; }
expect_equal "one server" "$(count "$DIR")" 1
first="$(servers "$DIR")"
expect_equal "directory owner-only" "$(stat -c %a "$DIR")" 700
expect_equal "socket owner-only" "$(stat -c %a "$DIR"/server-*.sock)" 700
expect_equal "log owner-only" "$(stat -c %a "$DIR"/server-*.log)" 600

for i in 2 3; do
  expect_ok "dispatch $i reuses it" "$VYRE" dispatch --ring-spec "$SPEC" --control control.bin --resources "$RES" \
    --out-dir "out$i" --report "r$i.json"
  expect_same_bytes "dispatch $i ring" "$WORK/out$i/ring.bin" "$E/ring.bin"
done
expect_equal "the same server" "$(servers "$DIR")" "$first"
run "$PY" -c "import json; t = json.load(open('r3.json'))['timings']; assert t['device_ms'] == 0 and t['build_ms'] == 0, t"
if [[ $status -eq 0 ]]; then pass; else fail "a reused server still reports device or build time: $(cat "$WORK/.err")"; fi

# bench and replay use it too; bench's floor comes from the server's bus.
expect_ok "bench on the server" "$VYRE" bench --ring-spec "$SPEC" --repeat 3 --warmup 1 --format json
expect_schema "bench schema" bench.schema.json
cp "$WORK/.out" "$WORK/bench.json"
run "$PY" -c "import json; d = json.load(open('bench.json')); assert 'via vyre serve' in d['device'] and d['floor']['floor_ms'] > 0, d"
if [[ $status -eq 0 ]]; then pass; else fail "bench did not run on the server with a floor: $(cat "$WORK/.err")"; fi
expect_ok "record" "$VYRE" dispatch --backend reference --ring-spec "$SPEC" --record s.vrrl --report /dev/null
expect_ok "replay on the server, compared with the reference" "$VYRE" replay s.vrrl --compare reference
expect_equal "still one server" "$(servers "$DIR")" "$first"

# Other device choices get a server of their own; --backend reference none.
expect_ok "another work-group size" "$VYRE" dispatch --ring-spec "$SPEC" --workgroup-size 32 --report r4.json
expect_equal "a second server" "$(count "$DIR")" 2
expect_ok "reference backend stays here" "$VYRE" dispatch --ring-spec "$SPEC" --backend reference --report r5.json
if grep -q "via vyre serve" "$WORK/r5.json"; then fail "the reference backend ran on a server"; else pass; fi
expect_ok "VYRE_SERVER= runs here" env VYRE_SERVER= "$VYRE" dispatch --ring-spec "$SPEC" --report r6.json
if grep -q "via vyre serve" "$WORK/r6.json"; then fail "an empty VYRE_SERVER used a server"; else pass; fi

# Concurrent first uses start one server between them.
export XDG_RUNTIME_DIR="$WORK/xdg-race"
mkdir -m 700 "$XDG_RUNTIME_DIR"
pids=()
for i in 1 2 3 4; do
  (cd "$WORK" && "$VYRE" dispatch --ring-spec "$SPEC" --report "race$i.json") 2>"$WORK/race$i.err" &
  pids+=($!)
done
ok=1
for p in "${pids[@]}"; do wait "$p" || ok=0; done
if [[ $ok == 1 ]]; then pass; else fail "a concurrent first dispatch failed: $(cat "$WORK"/race*.err)"; fi
expect_equal "one server for four concurrent starts" "$(count "$XDG_RUNTIME_DIR/vyre")" 1

# A server killed in the middle of a request: a clear error naming its log,
# and the next command starts a new one.
export XDG_RUNTIME_DIR="$WORK/xdg"
long=(dispatch --ring-spec "$SPEC" --mode persistent --max-iterations 1000000 --report /dev/null)
(cd "$WORK" && "$VYRE" "${long[@]}") 2>"$WORK/killed.err" &
client=$!
sleep 1.5
kill -KILL "$first"
wait "$client"
code=$?
if [[ $code -eq 3 ]] && grep -q "the dispatch server went away in the middle of a request" "$WORK/killed.err" &&
   grep -q "server-.*\.log" "$WORK/killed.err"; then pass
else fail "server killed mid-request: exit $code: $(cat "$WORK/killed.err")"; fi
expect_ok "the next dispatch starts a new server" "$VYRE" dispatch --ring-spec "$SPEC" --report r7.json
if [[ "$(count "$DIR")" == 2 ]] && ! servers "$DIR" | grep -qxF -- "$first"; then pass
else fail "no new server after the kill: $(servers "$DIR")"; fi

# A client stopped mid-launch frees the server at once (it stops the launch).
(cd "$WORK" && "$VYRE" "${long[@]}") 2>"$WORK/stopped.err" &
client=$!
sleep 1.5
kill -INT "$client"
wait "$client"
code=$?
expect_equal "client stopped by SIGINT" "$code" 130
expect_ok "the server is free again" timeout 20 "$VYRE" dispatch --ring-spec "$SPEC" --report r8.json

# Idle exit (VYRE_SERVER_IDLE_EXIT seconds): the server leaves, socket and all.
export XDG_RUNTIME_DIR="$WORK/xdg-idle"
mkdir -m 700 "$XDG_RUNTIME_DIR"
expect_ok "short-lived server" env VYRE_SERVER_IDLE_EXIT=1 "$VYRE" dispatch --ring-spec "$SPEC" --report /dev/null
for _ in $(seq 50); do [[ "$(count "$XDG_RUNTIME_DIR/vyre")" == 0 ]] && break; sleep 0.1; done
if [[ "$(count "$XDG_RUNTIME_DIR/vyre")" == 0 ]] && ! ls "$XDG_RUNTIME_DIR"/vyre/*.sock >/dev/null 2>&1; then pass
else fail "the server did not exit after its idle time"; fi
expect_fail "bad idle time" 1 "VYRE_SERVER_IDLE_EXIT=soon is not a number of seconds" \
  env VYRE_SERVER_IDLE_EXIT=soon "$VYRE" dispatch --ring-spec "$SPEC"

# A directory others can enter is refused, not used.
export XDG_RUNTIME_DIR="$WORK/xdg-open"
mkdir -m 700 "$XDG_RUNTIME_DIR"
mkdir -m 755 "$XDG_RUNTIME_DIR/vyre"
expect_fail "shared directory refused" 3 "not a private directory of this user: other users can enter it" \
  "$VYRE" dispatch --ring-spec "$SPEC"

# A server that cannot start (its kernel does not build): its log's end.
export XDG_RUNTIME_DIR="$WORK/xdg"
printf 'VYRE_OPCODE(0x100) { no_such_function(); }\n' > "$WORK/bad.cl"
expect_fail "server fails to start" 2 "the dispatch server started for VYRE_SERVER=auto exited" \
  "$VYRE" dispatch --ring-spec "$SPEC" --opcodes bad.cl
if grep -q "no_such_function" "$WORK/.err"; then pass; else fail "the start failure does not quote the log: $(cat "$WORK/.err")"; fi

# Another user: its own directory and server; this user's socket is closed to it.
if [[ "$(id -u)" == 0 ]] && command -v setpriv >/dev/null; then
  sock="$(ls "$DIR"/server-*.sock | head -1)"
  chmod 755 "$WORK"
  # The other user runs copies: the clone may lie in a directory only this
  # user can enter (a checkout under `mktemp -d`).
  mkdir -m 755 "$WORK/other"
  cp "$VYRE" "$SPEC" "$WORK/other/"
  chmod 755 "$WORK/other/vyre"
  chmod 644 "$WORK/other/$(basename "$SPEC")"
  expect_fail "another user cannot connect" 3 "no dispatch server answers" \
    setpriv --reuid 65534 --regid 65534 --clear-groups env -u XDG_RUNTIME_DIR "$WORK/other/vyre" dispatch \
    --server "$sock" --ring-spec "$WORK/other/$(basename "$SPEC")" --report /dev/null
fi
finish
