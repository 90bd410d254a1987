#!/usr/bin/env bash
# A user opcode against the built-in op it imitates, measured in one run:
# N slots of STORE_U32 and N slots of a user opcode whose body is one
# vyre_store, each slot writing an observable of its own (no two lanes meet),
# dispatched by `vyre bench` on the same device. Target: the user opcode's
# kernel median within 1.2x of STORE_U32's.
#   bench/user_opcodes.sh [BUILD_DIR] [SLOTS] [REPEAT]
#   (VYRE_DEVICE picks the device; on the GPU machine set OCL_ICD_FILENAMES)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
slots="${2:-1048576}"
repeat="${3:-30}"
vyre="$build/bin/vyre"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export VYRE_CACHE_DIR="$work/cache"

cat > "$work/store.cl" <<'CL'
VYRE_OPCODE(0x100) { vyre_store(vyre_arg(1), vyre_arg(0)); }
CL
python3 - "$slots" "$work" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
for name, opcode in (("builtin", "STORE_U32"), ("user", "0x100")):
    with open(f"{work}/{name}.json", "w") as f:
        f.write('{"slot_count": %d, "slots": [\n' % n)
        f.write(",\n".join(json.dumps({"opcode": opcode, "args": [i, 160 + i]}) for i in range(n)))
        f.write("\n]}\n")
PY
"$vyre" encode-control --observables "$slots" -o "$work/control.bin"
for name in builtin user; do "$vyre" encode-ring "$work/$name.json" -o "$work/$name.bin"; done

bench() {  # bench NAME [OPTIONS...]: the bench JSON of one ring
  local name="$1"
  shift
  "$vyre" bench --ring "$work/$name.bin" --control "$work/control.bin" --repeat "$repeat" --warmup 3 --format json \
    -q "$@" > "$work/$name.out.json"
}
bench builtin
bench user --opcodes "$work/store.cl"
python3 - "$work" "$slots" <<'PY'
import json, sys
work, n = sys.argv[1], int(sys.argv[2])
rows = {name: json.load(open(f"{work}/{name}.out.json")) for name in ("builtin", "user")}
def median(doc, series):
    return doc["series"][series]["median"]
print(f"{n} slots, one store each, {rows['builtin']['device']}, median of {rows['builtin']['repeat']} runs")
print(f"{'ring':<24} {'kernel ms':>10} {'wall ms':>10} {'Gslots/s':>9}")
for name, label in (("builtin", "STORE_U32 (built-in)"), ("user", "user opcode 0x100")):
    k, w = median(rows[name], "kernel_ms"), median(rows[name], "wall_ms")
    print(f"{label:<24} {k:10.3f} {w:10.3f} {n / k / 1e6:9.2f}")
ratio = median(rows["user"], "kernel_ms") / median(rows["builtin"], "kernel_ms")
print(f"user / built-in kernel time: {ratio:.2f}x (target <= 1.2x)")
PY
