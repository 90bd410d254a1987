// Shared by the fuzz targets: every target must either succeed or throw
// vyre::Error / grafos::TaskletError. Anything else (a crash, a sanitizer
// report, another exception type, a hang) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "vyre/control.h"

namespace vyre::fuzz {

inline ByteSpan bytes(const uint8_t* data, size_t size) { return {data, size}; }
inline std::string_view text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits the input into `n` parts using the first bytes as lengths, so one
// input can describe several buffers.
template <size_t N>
std::array<ByteSpan, N> split(ByteSpan in) {
  std::array<ByteSpan, N> parts{};
  size_t header = std::min<size_t>(in.size(), 4 * (N - 1));
  ByteSpan rest = in.subspan(header);
  for (size_t i = 0; i + 1 < N; ++i) {
    uint32_t len = 0;
    for (size_t k = 0; k < 4 && 4 * i + k < header; ++k) len |= uint32_t{in[4 * i + k]} << (8 * k);
    len = static_cast<uint32_t>(std::min<size_t>(len % (rest.size() + 1), rest.size()));
    parts[i] = rest.first(len);
    rest = rest.subspan(len);
  }
  parts[N - 1] = rest;
  return parts;
}

}  // namespace vyre::fuzz
