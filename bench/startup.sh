#!/usr/bin/env bash
# What a script that calls the tools many times waits for: short commands on
# small inputs, timed side by side in one run with /bin/true started the same
# way (hyperfine, no shell), so the difference is the tools' own start-up and
# exit. Target: every row within 5 ms of /bin/true.
#   bench/startup.sh [BUILD_DIR] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
runs="${2:-200}"
command -v hyperfine >/dev/null || { echo "bench/startup.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
vyre="$build/bin/vyre"
grafos="$build/bin/grafos"
"$vyre" encode-ring "$root/examples/ring-spec.json" -o "$work/ring.bin"
"$vyre" encode-control -o "$work/control.bin"

commands=(
  "/bin/true"
  "$vyre --version"
  "$vyre encode-control -o $work/c.bin"
  "$vyre encode-ring $root/examples/ring-spec.json -o $work/r.bin"
  "$vyre inspect $work/ring.bin --kind ring"
  "$vyre inspect $work/control.bin --kind control --json"
  "$vyre diff $work/ring.bin $work/ring.bin --kind ring"
  "$vyre dispatch --backend reference --ring $work/ring.bin -o $work/report.json"
  "$grafos run-tasklet sum --workers 2 -o $work/sum.bin"
)
if command -v jq >/dev/null; then commands+=("jq -n 1"); fi

hyperfine -N --warmup 10 --runs "$runs" --export-json "$work/times.json" "${commands[@]}" >/dev/null 2>&1
python3 - "$work/times.json" "$work" <<'EOF'
import json, os, sys
results = json.load(open(sys.argv[1]))["results"]
work = sys.argv[2]
base = next(r for r in results if r["command"] == "/bin/true")
print(f"start-up and exit, {len(base['times'])} runs each, {os.cpu_count()} cores; "
      "times in ms (median, and the mean +- stddev)")
print(f"{'command':<58} {'median':>7} {'mean':>7} {'+-':>5} {'vs /bin/true':>13}")
for r in results:
    name = r["command"].replace(work + "/", "").replace(os.path.dirname(os.path.dirname(r["command"].split()[0])) + "/", "")
    med, mean, sd = r["median"] * 1e3, r["mean"] * 1e3, r["stddev"] * 1e3
    print(f"{name[:58]:<58} {med:7.2f} {mean:7.2f} {sd:5.2f} {med - base['median'] * 1e3:+12.2f}")
EOF
