#!/usr/bin/env bash
# Installs the build into a fresh prefix and builds examples/consumer against
# it twice - with find_package(vyre) and with pkg-config - then runs both.
set -u
BUILD="${BUILD:?set BUILD to the build directory}"
SRC="${SRC:?set SRC to the source tree}"
CMAKE="${CMAKE:-cmake}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expected=$'observable 0 = 42, done = 2\nsum = 55'

"$CMAKE" --install "$BUILD" --prefix "$WORK/prefix" >/dev/null || fail "cmake --install"
for f in lib/cmake/vyre/vyreConfig.cmake lib/cmake/vyre/vyreConfigVersion.cmake lib/cmake/vyre/vyreTargets.cmake \
         lib/cmake/vyre/grafosTargets.cmake lib/pkgconfig/vyre.pc lib/pkgconfig/grafos.pc; do
  [[ -e "$WORK/prefix/$f" ]] || fail "the install lacks $f"
done

# find_package(vyre), from a copy of the example outside the source tree
# (CMake takes CXXFLAGS from the environment: a sanitizer build's consumer
# must be instrumented too).
cp -r "$SRC/examples/consumer" "$WORK/consumer"
"$CMAKE" -S "$WORK/consumer" -B "$WORK/build-cmake" -DCMAKE_PREFIX_PATH="$WORK/prefix" >"$WORK/log" 2>&1 ||
  fail "configuring the consumer: $(cat "$WORK/log")"
"$CMAKE" --build "$WORK/build-cmake" >"$WORK/log" 2>&1 || fail "building the consumer: $(cat "$WORK/log")"
out="$("$WORK/build-cmake/vyre-consumer")" || fail "the CMake-built consumer failed"
[[ "$out" == "$expected" ]] || fail "CMake-built consumer printed: $out"
echo "find_package(vyre): ok"

# A version the package does not satisfy is refused.
mkdir -p "$WORK/v"
printf 'cmake_minimum_required(VERSION 3.20)\nproject(v LANGUAGES CXX)\nfind_package(vyre 9.0 REQUIRED)\n' > "$WORK/v/CMakeLists.txt"
if "$CMAKE" -S "$WORK/v" -B "$WORK/v/b" -DCMAKE_PREFIX_PATH="$WORK/prefix" >/dev/null 2>&1; then
  fail "find_package(vyre 9.0) accepted version 0.1"
fi
echo "find_package(vyre 9.0) refused: ok"

# pkg-config, with the .pc files found relative to where they were installed.
export PKG_CONFIG_PATH="$WORK/prefix/lib/pkgconfig"
flags="$(pkg-config --cflags --libs grafos vyre)" || fail "pkg-config grafos vyre"
# shellcheck disable=SC2086
g++ -std=c++20 ${CXXFLAGS:-} "$WORK/consumer/main.cpp" -o "$WORK/pc-consumer" $flags >"$WORK/log" 2>&1 ||
  fail "building with pkg-config flags ($flags): $(cat "$WORK/log")"
out="$("$WORK/pc-consumer")" || fail "the pkg-config-built consumer failed"
[[ "$out" == "$expected" ]] || fail "pkg-config-built consumer printed: $out"
echo "pkg-config: ok"
echo "3 passed, 0 failed"
