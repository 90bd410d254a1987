#!/usr/bin/env bash
# End-to-end time of `vyre encode-ring` on a 1,048,576-slot JSON spec (every
# slot form mixed), best of N runs, next to `cat` of the same file.
#   bench/encode_ring_e2e.sh [BUILD_DIR] [SLOTS] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
slots="${2:-1048576}"
runs="${3:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$root/bench/make_ring_spec.py" "$slots" "$work/spec.json"
size=$(stat -c %s "$work/spec.json")

best() {  # best wall seconds of $runs runs of "$@"
  local b=999999 t0 t1 t
  for _ in $(seq "$runs"); do
    t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if (($(echo "$t < $b" | bc -l))); then b=$t; fi
  done
  echo "$b"
}
t_cat=$(best sh -c "cat '$work/spec.json' > /dev/null")
t_enc=$(best "$build/bin/vyre" encode-ring "$work/spec.json" -o "$work/ring.bin")
printf 'vyre encode-ring, %d-slot spec (%.1f MB JSON), best of %d, %d cores\n' "$slots" "$(echo "$size/1000000" | bc -l)" "$runs" "$(nproc)"
printf '%-28s %10s %12s\n' "command" "seconds" "MB/s (JSON)"
printf '%-28s %10.3f %12.1f\n' "cat spec > /dev/null" "$t_cat" "$(echo "$size/$t_cat/1000000" | bc -l)"
printf '%-28s %10.3f %12.1f\n' "vyre encode-ring" "$t_enc" "$(echo "$size/$t_enc/1000000" | bc -l)"
