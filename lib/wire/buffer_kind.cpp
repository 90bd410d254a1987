#include "vyre/buffer_kind.h"

#include <array>

#include "vyre/error.h"
#include "vyre/io_queue.h"
#include "vyre/replay_log.h"
#include "vyre/ring.h"

namespace vyre {

namespace {

constexpr std::array kKinds = {
    BufferKindInfo{BufferKind::Control, "control", "vyre encode-control"},
    BufferKindInfo{BufferKind::Ring, "ring", "vyre encode-ring"},
    BufferKindInfo{BufferKind::DebugLog, "debug-log", "vyre encode-debug-log"},
    BufferKindInfo{BufferKind::IoQueue, "io-queue", "vyre encode-io-queue"},
    BufferKindInfo{BufferKind::Replay, "replay", "vyre dispatch --record"},
};

std::string bytes_text(uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

}  // namespace

std::span<const BufferKindInfo> buffer_kinds() { return kKinds; }

const BufferKindInfo& buffer_kind_info(BufferKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k;
  return kKinds.front();
}

std::optional<BufferKind> buffer_kind_from_name(std::string_view name) {
  for (const auto& k : kKinds)
    if (k.name == name) return k.kind;
  return std::nullopt;
}

std::vector<std::string> buffer_kind_names() {
  std::vector<std::string> out;
  for (const auto& k : kKinds) out.emplace_back(k.name);
  return out;
}

void check_buffer(BufferKind kind, ByteSpan bytes, std::string_view source) {
  namespace p = protocol;
  const std::string src(source);
  const std::string rebuild = "check that it is a " + std::string(buffer_kind_info(kind).name) +
                              " buffer, or build one with " + std::string(buffer_kind_info(kind).builder);
  const uint64_t n = bytes.size();
  auto fail = [&](uint64_t offset, const std::string& what) {
    throw Error::invalid_input(src + ", byte offset " + std::to_string(offset), what, rebuild);
  };
  switch (kind) {
    case BufferKind::Ring:
      if (n == 0) fail(0, "empty: a ring holds at least one 64-byte slot");
      if (n % p::SLOT_BYTES != 0)
        fail(n - n % p::SLOT_BYTES, "a ring of " + bytes_text(n) + " is not a whole number of 64-byte slots (" +
                                        bytes_text(n % p::SLOT_BYTES) + " left over)");
      if (n / p::SLOT_BYTES > p::MAX_ENCODED_RING_SLOTS)
        fail(uint64_t{p::MAX_ENCODED_RING_SLOTS} * p::SLOT_BYTES,
             std::to_string(n / p::SLOT_BYTES) + " slots, more than the " + std::to_string(p::MAX_ENCODED_RING_SLOTS) +
                 " a ring may hold");
      break;
    case BufferKind::IoQueue:
      if (n == 0) fail(0, "empty: an IO queue holds at least one 32-byte slot");
      if (n % p::io::IO_SLOT_BYTES != 0)
        fail(n - n % p::io::IO_SLOT_BYTES, "an IO queue of " + bytes_text(n) + " is not a whole number of 32-byte slots");
      if (n / p::io::IO_SLOT_BYTES > p::io::IO_SLOT_COUNT)
        fail(uint64_t{p::io::IO_SLOT_COUNT} * p::io::IO_SLOT_BYTES,
             std::to_string(n / p::io::IO_SLOT_BYTES) + " slots, more than the kernel's IO poll window of " +
                 std::to_string(p::io::IO_SLOT_COUNT));
      break;
    case BufferKind::Control: {
      const uint64_t min = uint64_t{p::CONTROL_MIN_WORDS} * 4;
      if (n < min) fail(n, "a control buffer of " + bytes_text(n) + " is shorter than its " + bytes_text(min) + " of fixed words");
      if (n % 4 != 0) fail(n - n % 4, "a control buffer of " + bytes_text(n) + " is not a whole number of u32 words");
      if (n / 4 - p::control::OBSERVABLE_BASE > p::MAX_ENCODED_OBSERVABLE_SLOTS)
        fail(n, std::to_string(n / 4 - p::control::OBSERVABLE_BASE) + " observable words, more than the " +
                    std::to_string(p::MAX_ENCODED_OBSERVABLE_SLOTS) + " a control buffer may hold");
      break;
    }
    case BufferKind::DebugLog: {
      const uint64_t record_bytes = uint64_t{p::debug::RECORD_WORDS} * 4;
      if (n < 4) fail(0, "a debug log of " + bytes_text(n) + " lacks its cursor word");
      if ((n - 4) % record_bytes != 0)
        fail(n - (n - 4) % record_bytes, "a debug log of " + bytes_text(n) +
                                             " is not the cursor word and whole 16-byte PRINTF records");
      if ((n - 4) / record_bytes > p::MAX_ENCODED_DEBUG_RECORDS)
        fail(n, std::to_string((n - 4) / record_bytes) + " records, more than the " +
                    std::to_string(p::MAX_ENCODED_DEBUG_RECORDS) + " a debug log may hold");
      break;
    }
    case BufferKind::Replay:
      try {
        ReplayLog::parse(bytes);
      } catch (const Error& e) {
        throw e.with_context(src);
      }
      break;
  }
}

}  // namespace vyre
