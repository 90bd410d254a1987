#!/usr/bin/env bash
# Every built-in tasklet on the OpenCL device at 256 MiB (64M u32 words):
# `grafos bench` runs each one beside a device copy of the same bytes, in
# the same process, and this prints one table of the medians - the ratios
# that issue #14 sets targets for (kernels vs device copy: sum >= 0.9x,
# histogram >= 0.8x, prefix-sum >= 0.5x; sort at most 10 ms).
#
#   bench/tasklet_gpu.sh BUILD_DIR [SIZE [grafos bench options...]]
#   OCL_ICD_FILENAMES=/usr/local/nvidia/lib64/libnvidia-opencl.so.1 bench/tasklet_gpu.sh build
#
# Defaults: --size 256M, 10 runs after 2 warm-ups, the device's default
# workers and local size; pass e.g. --workers 1057 --local-size 256 after
# SIZE to override. Needs python3 for the table.
set -euo pipefail
build=${1:?usage: bench/tasklet_gpu.sh BUILD_DIR [SIZE [grafos bench options...]]}
size=${2:-256M}
shift $(( $# < 2 ? $# : 2 ))
grafos="$build/bin/grafos"
[[ -x "$grafos" ]] || { echo "tasklet_gpu.sh: no $grafos (build the grafos-cli target)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

tasklets=(sum histogram sort sort-pairs prefix-sum exclusive-prefix-sum)
for t in "${tasklets[@]}"; do
  echo "grafos bench $t --target opencl --size $size $*" >&2
  "$grafos" bench "$t" --target opencl --size "$size" --repeat 10 --warmup 2 --format json -q -o "$out/$t.json" "$@"
done

python3 - "$out" "${tasklets[@]}" <<'PYEOF'
import json, sys
folder, names = sys.argv[1], sys.argv[2:]
runs = {n: json.load(open(f"{folder}/{n}.json")) for n in names}
first = runs[names[0]]
print(f"device: {first['device']}; input {first['work_per_run']} bytes; "
      f"median of {first['repeat']} runs after {first['warmup']} warm-ups")
print(f"{'tasklet':<22}{'workers':>8}{'kernel ms':>12}{'copy ms':>10}{'vs copy':>9}{'GB/s':>9}{'G keys/s':>10}  target")
targets = {"sum": ">= 0.9x", "histogram": ">= 0.8x", "prefix-sum": ">= 0.5x", "sort": "<= 10 ms at 256M"}
for n in names:
    r = runs[n]
    kernel, copy = r["series"]["kernel_ms"]["median"], r["series"]["copy_ms"]["median"]
    keys = r["work_per_run"] // (8 if n == "sort-pairs" else 4)
    rate = r["work_per_run"] / kernel / 1e6
    sorts = n.startswith("sort")
    print(f"{n:<22}{r['context']['workers']:>8}{kernel:>12.3f}{copy:>10.3f}{copy / kernel:>8.2f}x{rate:>9.1f}"
          f"{(f'{keys / kernel / 1e6:.2f}' if sorts else '-'):>10}  {targets.get(n, '')}")
PYEOF
