#!/usr/bin/env bash
# One entry point for a fresh machine (Debian 12 or later):
#   scripts/bootstrap.sh demo   install what is missing, build, run the main job on a real example
#   scripts/bootstrap.sh test   install what is missing, build, run every test, then again under
#                               ASan + UBSan (what CI runs)
# Installing is idempotent: apt-get runs only for packages that are missing.
set -euo pipefail

mode="${1:-demo}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${VYRE_BUILD_DIR:-$root/build}"
jobs="$(nproc 2>/dev/null || echo 2)"

# librsvg2-bin (rsvg-convert) and chromium look at the SVG slot maps and the
# HTML page of vyre report in the tests (cli_capture, cli_report); groff-base
# renders the man pages (shipped_docs).
packages=(build-essential cmake libcli11-dev nlohmann-json3-dev ocl-icd-opencl-dev opencl-c-headers
          opencl-clhpp-headers doctest-dev pocl-opencl-icd clinfo python3 python3-jsonschema bc pkgconf zsh jq
          librsvg2-bin chromium groff-base)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$build" -j "$jobs" >&2

case "$mode" in
  demo)
    vyre="$build/bin/vyre"
    out="$build/demo"
    mkdir -p "$out"
    echo "== encode the example ring spec (examples/ring-spec.json)"
    "$vyre" encode-ring "$root/examples/ring-spec.json" -o "$out/ring.bin"
    echo "== inspect it"
    "$vyre" inspect "$out/ring.bin" --kind ring
    echo "== a control buffer for 2 tenants and 16 observables"
    "$vyre" encode-control --tenants 2 --observables 16 -o "$out/control.bin"
    echo "== the OpenCL devices (PoCL on a machine without a GPU)"
    "$vyre" devices
    echo "== dispatch examples/dispatch-spec.json on the first GPU, else the first device"
    "$vyre" dispatch --ring-spec "$root/examples/dispatch-spec.json" --control "$out/control.bin" \
      --resources "$root/examples/resources.json" --out-dir "$out/dispatched" -o "$out/report.json"
    "$vyre" inspect "$out/dispatched/ring.bin" --kind ring
    "$vyre" inspect "$out/dispatched/control.bin" --kind control
    "$vyre" decode-debug "$out/dispatched/debug_log.bin"
    echo "== one HTML page about the dispatch: ring map, statuses, metrics, faults, PRINTF, IO"
    "$vyre" report "$out/dispatched" --dispatch-report "$out/report.json" -o "$out/report.html"
    echo "== a tasklet: sort the ring's bytes as u32 words on both targets"
    "$build/bin/grafos" run-tasklet sort --workers 3 --input "$out/dispatched/ring.bin" --output "$out/sorted-host.bin"
    "$build/bin/grafos" run-tasklet sort --workers 3 --target opencl --input "$out/dispatched/ring.bin" \
      --output "$out/sorted-opencl.bin" --report -
    cmp "$out/sorted-host.bin" "$out/sorted-opencl.bin" && echo "host and opencl outputs are identical"
    echo "== outputs are in $out (dispatch report: $out/report.json, page: $out/report.html)"
    ;;
  test)
    (cd "$build" && ctest --output-on-failure -j "$jobs")
    # The same suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
    # Leak checking is off: the tools end with std::_Exit on purpose and the
    # OpenCL drivers keep their own allocations until exit.
    sanitize="${VYRE_SANITIZE_BUILD_DIR:-$root/build-sanitize}"
    cmake -S "$root" -B "$sanitize" -DCMAKE_BUILD_TYPE=Debug -DVYRE_BUILD_BENCH=OFF -DVYRE_STATIC_LIBSTDCXX=OFF \
      -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" >&2
    cmake --build "$sanitize" -j "$jobs" >&2
    (cd "$sanitize" && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j "$jobs")
    ;;
  *)
    echo "usage: scripts/bootstrap.sh demo|test" >&2
    exit 1
    ;;
esac
