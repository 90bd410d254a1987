#!/usr/bin/env bash
# Runs every fuzz target for a bounded number of executions under
# AddressSanitizer + UndefinedBehaviorSanitizer, seeded from testdata/fuzz,
# and prints a table of targets, executions and crashes. Crashing inputs are
# left in build-fuzz/artifacts/<target>/: copy each into
# testdata/fuzz/<target>/ once fixed, so ctest replays it from then on.
#   scripts/fuzz.sh [RUNS_PER_TARGET]   (default 200000)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${VYRE_FUZZ_BUILD_DIR:-$root/build-fuzz}"
runs="${1:-200000}"
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVYRE_FUZZ=ON \
  -DVYRE_BUILD_TESTS=OFF -DVYRE_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined" >/dev/null || exit 1
cmake --build "$build" -j "$(nproc)" >/dev/null || exit 1
printf '%-24s %12s %10s %8s\n' target executions crashes seconds
status=0
for target in ring_spec format_table resource_map buffers reference_interpreter; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  start=$(date +%s)
  ASAN_OPTIONS=detect_leaks=0 "$build/fuzz/${target}_fuzz" -runs="$runs" -max_len=8192 -timeout=10 \
    -artifact_prefix="$artifacts/" "$corpus" "$root/testdata/fuzz/$target" >"$build/$target.log" 2>&1
  crashes=$(find "$artifacts" -type f | wc -l)
  execs=$(grep -oE '#[0-9]+' "$build/$target.log" | tail -1 | tr -d '#')
  printf '%-24s %12s %10s %8s\n' "$target" "${execs:-0}" "$crashes" "$(( $(date +%s) - start ))"
  [[ $crashes -eq 0 ]] || status=1
done
exit $status
