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
expected_wire='slots = 8, published = 2, empty = 6, slot 0 opcode = STORE_U32'
# no_opencl NAME BINARY: the codec-only program links no OpenCL library.
no_opencl() {
  if ldd "$2" | grep -qi opencl; then fail "$1 links OpenCL: $(ldd "$2")"; fi
}

"$CMAKE" --install "$BUILD" --prefix "$WORK/prefix" >/dev/null || fail "cmake --install"
for f in lib/cmake/vyre/vyreConfig.cmake lib/cmake/vyre/vyreConfigVersion.cmake lib/cmake/vyre/vyreTargets.cmake \
         lib/cmake/vyre/grafosTargets.cmake lib/pkgconfig/vyre.pc lib/pkgconfig/grafos.pc lib/pkgconfig/vyre-wire.pc \
         lib/pkgconfig/vyre-runtime.pc lib/pkgconfig/vyre-tools.pc; do
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
out="$("$WORK/build-cmake/vyre-wire-consumer")" || fail "the CMake-built wire consumer failed"
[[ "$out" == "$expected_wire" ]] || fail "CMake-built wire consumer printed: $out"
no_opencl "the CMake-built wire consumer" "$WORK/build-cmake/vyre-wire-consumer"
echo "find_package(vyre): ok"

# find_package(vyre COMPONENTS wire) needs no OpenCL package at all.
mkdir -p "$WORK/w"
cp "$SRC/examples/consumer/wire_main.cpp" "$WORK/w/"
printf 'cmake_minimum_required(VERSION 3.20)\nproject(w LANGUAGES CXX)\nset(CMAKE_CXX_STANDARD 20)\nfind_package(vyre 0.1 REQUIRED COMPONENTS wire)\nadd_executable(w wire_main.cpp)\ntarget_link_libraries(w PRIVATE vyre::wire)\n' > "$WORK/w/CMakeLists.txt"
"$CMAKE" -S "$WORK/w" -B "$WORK/w/b" -DCMAKE_PREFIX_PATH="$WORK/prefix" -DCMAKE_DISABLE_FIND_PACKAGE_OpenCL=ON >"$WORK/log" 2>&1 ||
  fail "find_package(vyre COMPONENTS wire) without OpenCL: $(cat "$WORK/log")"
"$CMAKE" --build "$WORK/w/b" >"$WORK/log" 2>&1 || fail "building the wire-only consumer: $(cat "$WORK/log")"
[[ "$("$WORK/w/b/w")" == "$expected_wire" ]] || fail "the wire-only consumer printed the wrong result"
no_opencl "the COMPONENTS wire consumer" "$WORK/w/b/w"
echo "find_package(vyre COMPONENTS wire): ok"

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
flags="$(pkg-config --cflags --libs vyre-wire)" || fail "pkg-config vyre-wire"
[[ "$flags" != *OpenCL* ]] || fail "pkg-config vyre-wire names OpenCL: $flags"
# shellcheck disable=SC2086
g++ -std=c++20 ${CXXFLAGS:-} "$WORK/consumer/wire_main.cpp" -o "$WORK/pc-wire" $flags >"$WORK/log" 2>&1 ||
  fail "building the wire consumer with pkg-config flags ($flags): $(cat "$WORK/log")"
[[ "$("$WORK/pc-wire")" == "$expected_wire" ]] || fail "the pkg-config wire consumer printed the wrong result"
no_opencl "the pkg-config wire consumer" "$WORK/pc-wire"
echo "pkg-config: ok"
echo "5 passed, 0 failed"
