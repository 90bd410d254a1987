#!/usr/bin/env bash
# Reading a captured 1,048,576-slot ring (64 MiB) with vyre inspect and vyre
# diff, beside cmp of the same files, in one run on one machine state.
#   bench/large_capture.sh [BUILD_DIR] [SLOTS] [RUNS]
# The capture: bench/make_capture_spec.py's spec (stores, adds, PRINTFs, a
# store outside the control buffer every 1,024th slot, an unauthorized
# tenant every 4,096th), run by the reference backend. "slightly different"
# copies change 16 slots, 1% and 10% of the slots (status and arg0). Each
# time is the median of RUNS runs (default 5) of the whole command, start-up
# and the write of its output included; the files stay in the page cache.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
slots="${2:-1048576}"
runs="${3:-5}"
vyre="$build/bin/vyre"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

python3 "$root/bench/make_capture_spec.py" "$slots" spec.json
"$vyre" encode-ring spec.json -o published.bin
"$vyre" dispatch --backend reference --ring published.bin --out-dir capture -o capture/report.json
cp capture/ring.bin same.bin
python3 - "$slots" <<'PYEOF'
import mmap, shutil, struct, sys
slots = int(sys.argv[1])
for count, name in [(16, "d16.bin"), (slots // 100, "d1pct.bin"), (slots // 10, "d10pct.bin")]:
    shutil.copy("capture/ring.bin", name)
    with open(name, "r+b") as f:
        m = mmap.mmap(f.fileno(), 0)
        step = slots // count
        for k in range(count):
            off = k * step * 64
            m[off:off + 4] = struct.pack("<I", 7)           # FAULT
            m[off + 16:off + 20] = struct.pack("<I", 123456)  # arg0
        m.flush()
PYEOF
cat capture/ring.bin same.bin d16.bin d1pct.bin d10pct.bin > /dev/null  # into the page cache

median() {  # median wall seconds of $runs runs of the shell command $1
  local times=() t0 t1
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    bash -c "$1" > /dev/null 2>&1 || true  # diff exits 1 when the rings differ
    t1=$(date +%s%N)
    times+=("$(( (t1 - t0) / 1000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p" | awk '{printf "%.3f", $1 / 1e6}'
}
size() { { bash -c "$1" 2>/dev/null || true; } | wc -c | awk '{printf "%.1f", $1 / 1e6}'; }

ring=capture/ring.bin
rows=(
  "cmp of two equal rings@cmp $ring same.bin@"
  "cmp, 16 slots differ (stops at 1st)@cmp $ring d16.bin@"
  "inspect --summary@$vyre inspect $ring --summary@$vyre inspect $ring --summary"
  "inspect --status FAULT@$vyre inspect $ring --status FAULT@$vyre inspect $ring --status FAULT"
  "inspect --json-lines | wc -l@$vyre inspect $ring --json-lines | wc -l@$vyre inspect $ring --json-lines"
  "inspect --svg map.svg@$vyre inspect $ring --svg map.svg@cat map.svg"
  "inspect (the whole table)@$vyre inspect $ring@$vyre inspect $ring"
  "diff, equal rings@$vyre diff $ring same.bin@"
  "diff, 16 slots differ@$vyre diff $ring d16.bin@$vyre diff $ring d16.bin"
  "diff, 1% of slots differ@$vyre diff $ring d1pct.bin@$vyre diff $ring d1pct.bin"
  "diff, 10% of slots differ@$vyre diff $ring d10pct.bin@$vyre diff $ring d10pct.bin"
  "diff --json, 16 slots differ@$vyre diff $ring d16.bin --json@$vyre diff $ring d16.bin --json"
  "diff --json, 10% differ@$vyre diff $ring d10pct.bin --json@$vyre diff $ring d10pct.bin --json"
)
printf 'large captures: %d-slot ring (%d MiB), median of %d runs, %d cores (%s)\n' "$slots" "$((slots * 64 >> 20))" \
  "$runs" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
printf '%-36s %10s %12s\n' "command" "seconds" "output MB"
for row in "${rows[@]}"; do
  IFS='@' read -r label command output <<<"$row"
  t=$(median "$command")
  if [[ -n "$output" ]]; then out=$(size "$output"); else out="-"; fi
  printf '%-36s %10s %12s\n' "$label" "$t" "$out"
done
