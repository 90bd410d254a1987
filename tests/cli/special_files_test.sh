#!/usr/bin/env bash
# How outputs meet special files, run in a private mount namespace with a
# tmpfs /dev, so that a regression cannot damage the machine's own /dev:
# devices, FIFOs, sockets and the process's descriptors are written straight
# through; regular files are replaced atomically (mode kept, symlinks
# followed, hard links kept); nothing is created or removed in /dev.
#
# Needs root (for unshare -m and mknod), as CI runs; it fails, rather than
# skipping, when it cannot make the namespace.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GRAFOS="${GRAFOS:?set GRAFOS to the grafos binary}"

if [[ -z ${VYRE_IN_PRIVATE_DEV:-} ]]; then
  if ! unshare -m --propagation private true 2>/dev/null; then
    echo "FAIL: cannot create a private mount namespace (run as root: unshare -m)" >&2
    exit 1
  fi
  # The trap of lib.sh removes $WORK when this shell exits; the inner run
  # makes its own.
  VYRE_IN_PRIVATE_DEV=1 unshare -m --propagation private bash "${BASH_SOURCE[0]}"
  exit $?
fi

# A /dev of our own: the devices the tests use and the usual links.
mount -t tmpfs -o mode=755 vyre-test-dev /dev || { echo "FAIL: cannot mount a tmpfs on /dev" >&2; exit 1; }
mknod -m 666 /dev/null c 1 3
mknod -m 666 /dev/full c 1 7
mknod -m 666 /dev/zero c 1 5
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
dev_listing() { ls -la --time-style=+ /dev | sort; }
dev_before="$(dev_listing)"

SPEC="$SRC/examples/ring-spec.json"
"$VYRE" encode-ring "$SPEC" -o "$WORK/expected.bin"

# /dev/null as every kind of output: still the device afterwards.
expect_ok "encode -o /dev/null" "$VYRE" encode-ring "$SPEC" -o /dev/null
expect_ok "dispatch --report /dev/null" "$VYRE" dispatch --backend reference --ring-spec "$SPEC" --report /dev/null \
  --out-dir od
expect_ok "bench -o /dev/null --plot /dev/null" "$VYRE" bench --backend reference --ring-spec "$SPEC" --repeat 2 \
  --warmup 0 -o /dev/null --plot /dev/null
expect_ok "run-tasklet --report /dev/null" "$GRAFOS" run-tasklet sum --workers 2 -o sum.bin --report /dev/null
if [[ -c /dev/null ]]; then pass; else fail "/dev/null is no longer a character device: $(ls -la /dev/null)"; fi

# A full device: the write fails with exit 3 and says so.
expect_fail "-o /dev/full" 3 "/dev/full: write failed: No space left on device" "$VYRE" encode-ring "$SPEC" -o /dev/full

# /dev/stdout and the process's descriptors are written, never replaced.
run bash -c "'$VYRE' encode-ring '$SPEC' -o /dev/stdout > stdout.bin"
if [[ $status -eq 0 ]] && cmp -s "$WORK/stdout.bin" "$WORK/expected.bin" && [[ -L /dev/stdout ]]; then pass
else fail "-o /dev/stdout: exit $status, $(cat "$WORK/.err"), $(ls -la /dev/stdout)"; fi
run bash -c "'$VYRE' encode-ring '$SPEC' -o /dev/fd/3 3> fd3.bin"
if [[ $status -eq 0 ]] && cmp -s "$WORK/fd3.bin" "$WORK/expected.bin"; then pass; else fail "-o /dev/fd/3: $(cat "$WORK/.err")"; fi
run bash -c "'$VYRE' encode-ring '$SPEC' -o /proc/self/fd/4 4> fd4.bin"
if [[ $status -eq 0 ]] && cmp -s "$WORK/fd4.bin" "$WORK/expected.bin"; then pass; else fail "-o /proc/self/fd/4: $(cat "$WORK/.err")"; fi
# An fd opened for appending is appended to, as the shell asked.
run bash -c "printf head > app.bin; '$VYRE' encode-ring '$SPEC' -o /dev/fd/3 3>> app.bin"
if [[ $status -eq 0 ]] && [[ $(head -c 4 "$WORK/app.bin") == head ]] && \
   [[ $(stat -c %s "$WORK/app.bin") -eq $(( $(stat -c %s "$WORK/expected.bin") + 4 )) ]]; then pass
else fail "-o /dev/fd/3 with 3>>: $(cat "$WORK/.err")"; fi
# Process substitution: bash passes /dev/fd/63.
run bash -c "'$VYRE' encode-ring '$SPEC' -o >(wc -c > count.txt); sleep 0.3"
if [[ $status -eq 0 ]] && [[ $(tr -d ' \n' < "$WORK/count.txt") == $(stat -c %s "$WORK/expected.bin") ]]; then pass
else fail "-o >(wc -c): exit $status, $(cat "$WORK/.err"), count $(cat "$WORK/count.txt" 2>/dev/null)"; fi
expect_fail "-o /dev/fd/9 not open" 1 "descriptor 9 is not open for writing" "$VYRE" encode-ring "$SPEC" -o /dev/fd/9

# A FIFO: its reader gets the bytes, and it stays a FIFO.
mkfifo "$WORK/fifo"
cat "$WORK/fifo" > "$WORK/from-fifo.bin" &
reader=$!
expect_ok "-o FIFO" "$VYRE" encode-ring "$SPEC" -o fifo
wait "$reader"
if [[ -p "$WORK/fifo" ]] && cmp -s "$WORK/from-fifo.bin" "$WORK/expected.bin"; then pass
else fail "FIFO output: $(ls -la "$WORK/fifo"), $(stat -c %s "$WORK/from-fifo.bin") bytes read"; fi
# A report into a FIFO and the buffers into a directory, from one dispatch.
cat "$WORK/fifo" > "$WORK/report-from-fifo.json" &
reader=$!
expect_ok "dispatch --report FIFO" "$VYRE" dispatch --backend reference --ring-spec "$SPEC" --report fifo --out-dir od2
wait "$reader"
if "$PY" -c "import json,sys; json.load(open(sys.argv[1]))" "$WORK/report-from-fifo.json"; then pass
else fail "dispatch --report FIFO: the reader got no JSON"; fi

# A Unix socket: connected to and written.
"$PY" - "$WORK/sock" "$WORK/from-sock.bin" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
with open(sys.argv[2], "wb") as f:
    while True:
        b = c.recv(65536)
        if not b: break
        f.write(b)
EOF
listener=$!
for _ in $(seq 50); do [[ -S "$WORK/sock" ]] && break; sleep 0.05; done
expect_ok "-o socket" "$VYRE" encode-ring "$SPEC" -o sock
wait "$listener"
if [[ -S "$WORK/sock" ]] && cmp -s "$WORK/from-sock.bin" "$WORK/expected.bin"; then pass; else fail "socket output"; fi

# A symlink: its target is replaced (in the target's directory), the link stays.
mkdir "$WORK/real"
printf old > "$WORK/real/target.bin"
ln -s real/target.bin "$WORK/link.bin"
expect_ok "-o symlink" "$VYRE" encode-ring "$SPEC" -o link.bin
if [[ -L "$WORK/link.bin" ]] && cmp -s "$WORK/real/target.bin" "$WORK/expected.bin" && \
   ! ls -A "$WORK/real" "$WORK" | grep -q '\.tmp\.'; then pass
else fail "symlink output: $(ls -la "$WORK/link.bin" "$WORK/real")"; fi
ln -s real/new-target.bin "$WORK/dangling.bin"
expect_ok "-o dangling symlink" "$VYRE" encode-ring "$SPEC" -o dangling.bin
if [[ -L "$WORK/dangling.bin" ]] && cmp -s "$WORK/real/new-target.bin" "$WORK/expected.bin"; then pass
else fail "dangling symlink output: $(ls -la "$WORK/dangling.bin" "$WORK/real")"; fi
# A chain of links ending in /dev/null: the device is written, no link replaced.
ln -s /dev/null "$WORK/null-link"
ln -s null-link "$WORK/null-link2"
expect_ok "-o link to a link to /dev/null" "$VYRE" encode-ring "$SPEC" -o null-link2
if [[ -L "$WORK/null-link2" && -L "$WORK/null-link" && -c /dev/null ]]; then pass; else fail "link chain to /dev/null"; fi

# Hard links keep sharing the file; the mode of an old file is kept.
printf old > "$WORK/hard-a.bin"
ln "$WORK/hard-a.bin" "$WORK/hard-b.bin"
expect_ok "-o hard-linked file" "$VYRE" encode-ring "$SPEC" -o hard-a.bin
if cmp -s "$WORK/hard-b.bin" "$WORK/expected.bin" && [[ $(stat -c %h "$WORK/hard-a.bin") -eq 2 ]]; then pass
else fail "hard link: $(stat -c '%h %s' "$WORK/hard-a.bin" "$WORK/hard-b.bin")"; fi
# A hard-linked file that cannot take the new bytes (a file-size limit) keeps
# its old bytes: the new ones go to a temporary first.
cp "$WORK/expected.bin" "$WORK/hard-a.bin"
"$PY" "$SRC/bench/make_ring_spec.py" 4096 "$WORK/spec4k.json"
expect_fail "-o hard-linked file over the file-size limit" 3 "File too large" \
  bash -c "ulimit -f 2; exec '$VYRE' encode-ring spec4k.json -o hard-a.bin"
if cmp -s "$WORK/hard-b.bin" "$WORK/expected.bin" && [[ -z $(ls -A "$WORK" | grep '\.tmp\.') ]]; then pass
else fail "hard link over the limit: $(stat -c '%h %s' "$WORK/hard-a.bin" "$WORK/hard-b.bin"); $(ls -A "$WORK")"; fi
printf old > "$WORK/private.bin"
chmod 600 "$WORK/private.bin"
expect_ok "-o 0600 file" "$VYRE" encode-ring "$SPEC" -o private.bin
if [[ $(stat -c %a "$WORK/private.bin") == 600 ]] && cmp -s "$WORK/private.bin" "$WORK/expected.bin"; then pass
else fail "mode not kept: $(stat -c %a "$WORK/private.bin")"; fi
run bash -c "umask 027; '$VYRE' encode-ring '$SPEC' -o fresh.bin"
if [[ $(stat -c %a "$WORK/fresh.bin") == 640 ]]; then pass; else fail "a new file ignores the umask: $(stat -c %a "$WORK/fresh.bin")"; fi

# Nothing is created in /dev.
expect_fail "-o new file in /dev" 1 "-o /dev/vyre-new.bin would create a file in /dev" \
  "$VYRE" encode-ring "$SPEC" -o /dev/vyre-new.bin
expect_fail "--out-dir in /dev" 1 "would create a directory in /dev" \
  "$VYRE" dispatch --backend reference --ring-spec "$SPEC" --out-dir /dev/vyre-out --report /dev/null
# /dev/stdout missing from /dev: still the process's stdout, not a new file.
rm /dev/stdout
run bash -c "'$VYRE' encode-ring '$SPEC' -o /dev/stdout > stdout2.bin"
if [[ $status -eq 0 ]] && cmp -s "$WORK/stdout2.bin" "$WORK/expected.bin" && [[ ! -e /dev/stdout ]]; then pass
else fail "-o /dev/stdout without the link: exit $status, $(cat "$WORK/.err")"; fi
ln -s /proc/self/fd/1 /dev/stdout

if [[ "$(dev_listing)" == "$dev_before" ]]; then pass
else fail "/dev changed: $(diff <(echo "$dev_before") <(dev_listing))"; fi
finish
