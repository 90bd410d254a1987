#include "vyre/buffer_kind.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "vyre/detail/words.h"
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

namespace {

using Break = std::optional<BufferRuleBreak>;

Break breaks_at(uint64_t offset, std::string what) { return BufferRuleBreak{offset, std::move(what)}; }

// check_buffer's rules: sizes and the replay header.
Break size_rule_break(BufferKind kind, ByteSpan bytes) {
  namespace p = protocol;
  const uint64_t n = bytes.size();
  switch (kind) {
    case BufferKind::Ring:
      if (n == 0) return breaks_at(0, "empty: a ring holds at least one 64-byte slot");
      if (n % p::SLOT_BYTES != 0)
        return breaks_at(n - n % p::SLOT_BYTES, "a ring of " + bytes_text(n) + " is not a whole number of 64-byte slots (" +
                                                    bytes_text(n % p::SLOT_BYTES) + " left over)");
      if (n / p::SLOT_BYTES > p::MAX_ENCODED_RING_SLOTS)
        return breaks_at(uint64_t{p::MAX_ENCODED_RING_SLOTS} * p::SLOT_BYTES,
                         std::to_string(n / p::SLOT_BYTES) + " slots, more than the " +
                             std::to_string(p::MAX_ENCODED_RING_SLOTS) + " a ring may hold");
      break;
    case BufferKind::IoQueue:
      if (n == 0) return breaks_at(0, "empty: an IO queue holds at least one 32-byte slot");
      if (n % p::io::IO_SLOT_BYTES != 0)
        return breaks_at(n - n % p::io::IO_SLOT_BYTES,
                         "an IO queue of " + bytes_text(n) + " is not a whole number of 32-byte slots");
      if (n / p::io::IO_SLOT_BYTES > p::io::IO_SLOT_COUNT)
        return breaks_at(uint64_t{p::io::IO_SLOT_COUNT} * p::io::IO_SLOT_BYTES,
                         std::to_string(n / p::io::IO_SLOT_BYTES) + " slots, more than the kernel's IO poll window of " +
                             std::to_string(p::io::IO_SLOT_COUNT));
      break;
    case BufferKind::Control: {
      const uint64_t min = uint64_t{p::CONTROL_MIN_WORDS} * 4;
      if (n < min)
        return breaks_at(n, "a control buffer of " + bytes_text(n) + " is shorter than its " + bytes_text(min) +
                                " of fixed words");
      if (n % 4 != 0)
        return breaks_at(n - n % 4, "a control buffer of " + bytes_text(n) + " is not a whole number of u32 words");
      if (n / 4 - p::control::OBSERVABLE_BASE > p::MAX_ENCODED_OBSERVABLE_SLOTS)
        return breaks_at(n, std::to_string(n / 4 - p::control::OBSERVABLE_BASE) + " observable words, more than the " +
                                std::to_string(p::MAX_ENCODED_OBSERVABLE_SLOTS) + " a control buffer may hold");
      break;
    }
    case BufferKind::DebugLog: {
      const uint64_t record_bytes = uint64_t{p::debug::RECORD_WORDS} * 4;
      if (n < 4) return breaks_at(0, "a debug log of " + bytes_text(n) + " lacks its cursor word");
      if ((n - 4) % record_bytes != 0)
        return breaks_at(n - (n - 4) % record_bytes,
                         "a debug log of " + bytes_text(n) + " is not the cursor word and whole 16-byte PRINTF records");
      if ((n - 4) / record_bytes > p::MAX_ENCODED_DEBUG_RECORDS)
        return breaks_at(n, std::to_string((n - 4) / record_bytes) + " records, more than the " +
                                std::to_string(p::MAX_ENCODED_DEBUG_RECORDS) + " a debug log may hold");
      break;
    }
    case BufferKind::Replay:
      break;  // ReplayLog::parse, below and in check_buffer
  }
  return std::nullopt;
}

bool starts_with_replay_magic(ByteSpan bytes) {
  const auto magic = protocol::replay::LOG_MAGIC;
  return bytes.size() >= magic.size() && std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

uint32_t word(ByteSpan bytes, uint64_t index) { return detail::load_u32(bytes.data() + index * 4); }

// What every buffer of the kind made by the encoders and the kernel keeps,
// for buffers that already pass the size rules.
Break content_rule_break(BufferKind kind, ByteSpan bytes) {
  namespace p = protocol;
  if (kind != BufferKind::Replay && starts_with_replay_magic(bytes))
    return breaks_at(0, "the file starts with the VRRL0001 magic of a replay log");
  switch (kind) {
    case BufferKind::Ring:
      for (uint64_t off = 0; off < bytes.size(); off += p::SLOT_BYTES) {
        const uint64_t slot = off / p::SLOT_BYTES;
        const uint32_t status = detail::load_u32(bytes.data() + off + 4 * p::STATUS_WORD);
        if (status > p::slot::FAULT)
          return breaks_at(off, "slot " + std::to_string(slot) + "'s status word is " + std::to_string(status) +
                                    ", not a slot status (0..7)");
        const uint32_t priority = detail::load_u32(bytes.data() + off + 4 * p::PRIORITY_WORD);
        if (priority > p::slot::PRIORITY_IDLE)
          return breaks_at(off + 4 * p::PRIORITY_WORD, "slot " + std::to_string(slot) + "'s priority word is " +
                                                           std::to_string(priority) + ", not a priority (0..4)");
      }
      break;
    case BufferKind::IoQueue:
      for (uint64_t off = 0; off < bytes.size(); off += p::io::IO_SLOT_BYTES) {
        const std::string slot = "io slot " + std::to_string(off / p::io::IO_SLOT_BYTES);
        const uint32_t op = detail::load_u32(bytes.data() + off + 4 * p::io::word::OP_TYPE);
        if (op > p::io::op::FENCE)
          return breaks_at(off, slot + "'s op word is " + std::to_string(op) + ", not READ, WRITE or FENCE (1..3) or 0");
        const uint32_t status = detail::load_u32(bytes.data() + off + 4 * p::io::word::STATUS);
        if (!p::io::status_name(status))
          return breaks_at(off + 4 * p::io::word::STATUS, slot + "'s status word is " + std::to_string(status) +
                                                              ", not a slot status, OK (0x10) or ERROR (0x11)");
      }
      break;
    case BufferKind::Control: {
      namespace c = p::control;
      if (const uint32_t shutdown = word(bytes, c::SHUTDOWN); shutdown > 1)
        return breaks_at(4 * c::SHUTDOWN, "word 0 (SHUTDOWN) is " + std::to_string(shutdown) + ", not 0 or 1");
      if (const uint32_t base = word(bytes, c::TENANT_BASE); base != c::TENANT_BASE + 1)
        return breaks_at(4 * c::TENANT_BASE, "word 2 (TENANT_BASE) is " + std::to_string(base) +
                                                 " where every control buffer has 3 (the tenant masks start at word 3)");
      for (uint32_t i = 1; i < c::PRIORITY_OFFSETS_SLOTS; ++i) {
        const uint32_t before = word(bytes, c::PRIORITY_OFFSETS_BASE + i - 1), at = word(bytes, c::PRIORITY_OFFSETS_BASE + i);
        if (at < before)
          return breaks_at(4 * (c::PRIORITY_OFFSETS_BASE + i),
                           "the priority offsets decrease: word " + std::to_string(c::PRIORITY_OFFSETS_BASE + i) +
                               " is " + std::to_string(at) + " after " + std::to_string(before));
      }
      break;
    }
    case BufferKind::DebugLog:
    case BufferKind::Replay:
      break;
  }
  return std::nullopt;
}

std::string kind_phrase(BufferKind kind) {
  switch (kind) {
    case BufferKind::Control: return "a control buffer";
    case BufferKind::Ring: return "a ring";
    case BufferKind::DebugLog: return "a debug log";
    case BufferKind::IoQueue: return "an IO queue";
    case BufferKind::Replay: return "a replay log";
  }
  return "a buffer";
}

std::string kind_options(std::span<const BufferKind> kinds) {
  std::string out;
  for (size_t i = 0; i < kinds.size(); ++i)
    out += (i == 0 ? "" : i + 1 == kinds.size() ? " or " : ", ") + std::string("--kind ") +
           std::string(buffer_kind_info(kinds[i]).name);
  return out;
}

}  // namespace

void check_buffer(BufferKind kind, ByteSpan bytes, std::string_view source) {
  const std::string src(source);
  const std::string rebuild = "check that it is a " + std::string(buffer_kind_info(kind).name) +
                              " buffer, or build one with " + std::string(buffer_kind_info(kind).builder);
  if (const Break b = size_rule_break(kind, bytes))
    throw Error::invalid_input(src + ", byte offset " + std::to_string(b->offset), b->what, rebuild);
  if (kind == BufferKind::Replay) {
    try {
      ReplayLog::parse(bytes);
    } catch (const Error& e) {
      throw e.with_context(src);
    }
  }
}

std::optional<std::string> kind_mismatch_note(BufferKind kind, ByteSpan bytes, std::string_view source) {
  if (size_rule_break(kind, bytes)) return std::nullopt;  // check_buffer's error
  const Break b = content_rule_break(kind, bytes);
  if (!b) return std::nullopt;
  std::vector<BufferKind> others = candidate_kinds(bytes);
  // A debug log has no content rules: nearly any bytes keep them.
  std::erase(others, BufferKind::DebugLog);
  if (others.empty()) return std::nullopt;
  return std::string(source) + ", byte offset " + std::to_string(b->offset) + ": read as " + kind_phrase(kind) + ", " +
         b->what + "; it looks like " + candidate_kinds_text(others) + " (check the option it was given to)";
}

std::optional<BufferRuleBreak> buffer_rule_break(BufferKind kind, ByteSpan bytes) {
  if (Break b = size_rule_break(kind, bytes)) return b;
  if (kind == BufferKind::Replay) {
    try {
      ReplayLog::parse(bytes);
    } catch (const Error& e) {
      return breaks_at(0, e.summary());
    }
  }
  return content_rule_break(kind, bytes);
}

std::vector<BufferKind> candidate_kinds(ByteSpan bytes) {
  std::vector<BufferKind> out;
  for (const auto& k : kKinds)
    if (!buffer_rule_break(k.kind, bytes)) out.push_back(k.kind);
  return out;
}

std::string candidate_kinds_text(std::span<const BufferKind> kinds) {
  if (kinds.empty()) return "no kind of buffer";
  std::string out;
  for (size_t i = 0; i < kinds.size(); ++i)
    out += (i == 0 ? "" : i + 1 == kinds.size() ? " or " : ", ") + kind_phrase(kinds[i]);
  return out;
}

BufferKind detect_buffer_kind(ByteSpan bytes, std::string_view source) {
  const std::vector<BufferKind> kinds = candidate_kinds(bytes);
  if (kinds.size() == 1) return kinds.front();
  const std::string src(source);
  if (kinds.empty()) {
    std::string why;
    for (const auto& k : kKinds) {
      const Break b = buffer_rule_break(k.kind, bytes);
      why += std::string(why.empty() ? "" : "; ") + std::string(k.name) + ": " + b->what;
    }
    throw Error::invalid_input(src, bytes_text(bytes.size()) + " keep the layout of no kind of buffer (" + why + ")",
                               "check that it is a buffer the megakernel or vyre wrote; pass --kind to see why it "
                               "fails as that kind");
  }
  throw Error::invalid_input(src, "the kind cannot be told from the content: " + bytes_text(bytes.size()) +
                                      " could be " + candidate_kinds_text(kinds),
                             "pass " + kind_options(kinds));
}

KindResolution resolve_buffer_kind(std::optional<BufferKind> given, ByteSpan bytes, std::string_view source) {
  if (!given) return {detect_buffer_kind(bytes, source), std::nullopt};
  const BufferKind kind = *given;
  // A file without the magic is no replay log at all: say what it looks
  // like rather than how a damaged log could be regenerated.
  if (kind == BufferKind::Replay && !starts_with_replay_magic(bytes)) {
    const std::vector<BufferKind> others = candidate_kinds(bytes);
    throw Error::invalid_input(std::string(source) + ", byte offset 0",
                               "read as a replay log, it lacks the VRRL0001 magic" +
                                   (others.empty() ? std::string() : "; it looks like " + candidate_kinds_text(others)),
                               others.empty() ? std::string("check that it is a log vyre dispatch --record wrote")
                                              : "pass " + kind_options(others) + ", or leave --kind out to detect it");
  }
  check_buffer(kind, bytes, source);
  const Break b = content_rule_break(kind, bytes);
  if (!b) return {kind, std::nullopt};
  const std::string where = std::string(source) + ", byte offset " + std::to_string(b->offset);
  const std::vector<BufferKind> others = candidate_kinds(bytes);
  if (others.empty())
    return {kind, where + ": " + b->what + "; no other kind fits either, so it is shown as " + kind_phrase(kind)};
  throw Error::invalid_input(where, "read as " + kind_phrase(kind) + ", " + b->what + "; it looks like " +
                                        candidate_kinds_text(others),
                             "pass " + kind_options(others) + ", or leave --kind out to detect it");
}

BufferKind resolve_common_kind(std::optional<BufferKind> given, ByteSpan a, std::string_view name_a, ByteSpan b,
                               std::string_view name_b, std::vector<std::string>& notes) {
  if (given) {
    for (const auto& [bytes, name] : {std::pair{a, name_a}, std::pair{b, name_b}})
      if (auto note = resolve_buffer_kind(given, bytes, name).note) notes.push_back(*note);
    return *given;
  }
  const std::vector<BufferKind> ka = candidate_kinds(a), kb = candidate_kinds(b);
  std::vector<BufferKind> both;
  for (const BufferKind k : ka)
    if (std::find(kb.begin(), kb.end(), k) != kb.end()) both.push_back(k);
  if (both.size() == 1) return both.front();
  if (both.empty()) {
    if (ka.empty()) detect_buffer_kind(a, name_a);  // throws, saying why
    if (kb.empty()) detect_buffer_kind(b, name_b);
    throw Error::invalid_input(std::string(name_a) + " and " + std::string(name_b),
                               "no kind fits both: " + std::string(name_a) + " looks like " + candidate_kinds_text(ka) +
                                   ", " + std::string(name_b) + " like " + candidate_kinds_text(kb),
                               "compare two buffers of one kind");
  }
  throw Error::invalid_input(std::string(name_a) + " and " + std::string(name_b),
                             "the kind cannot be told from the content: both could be " + candidate_kinds_text(both),
                             "pass " + kind_options(both));
}

}  // namespace vyre
