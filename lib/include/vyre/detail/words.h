// Little-endian u32/u64 access to byte buffers. Every protocol word is LE;
// on LE hosts these compile to plain unaligned loads and stores.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace vyre::detail {

inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}
inline uint64_t load_u64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}
inline void store_u32(uint8_t* p, uint32_t v) {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}
inline void store_u64(uint8_t* p, uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

// Word `word_idx` of `bytes`, or nullopt when the buffer does not hold it.
inline std::optional<uint32_t> read_word(std::span<const uint8_t> bytes, uint64_t word_idx) {
  if (word_idx > (bytes.size() / 4) || bytes.size() / 4 - word_idx < 1) return std::nullopt;
  return load_u32(bytes.data() + word_idx * 4);
}
inline uint32_t word_at(std::span<const uint8_t> bytes, size_t word_idx) {
  return load_u32(bytes.data() + word_idx * 4);
}
inline void write_word(std::span<uint8_t> bytes, size_t word_idx, uint32_t value) {
  store_u32(bytes.data() + word_idx * 4, value);
}

}  // namespace vyre::detail
