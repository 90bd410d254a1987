#include "vyre/buffer_selection.h"

#include <algorithm>
#include <charconv>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/protocol.h"
#include "vyre/ring.h"

namespace vyre {

namespace {

std::optional<int64_t> parse_bound(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) throw std::invalid_argument("bound");
  return v;
}

// "7", "0x100": a u32 written as a number.
std::optional<uint32_t> parse_number(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  uint32_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::string kind_name(BufferKind kind) { return std::string(buffer_kind_info(kind).name); }

bool slotted(BufferKind kind) { return kind == BufferKind::Ring || kind == BufferKind::IoQueue; }

uint32_t parse_status(std::string_view word, BufferKind kind) {
  if (auto v = parse_number(word)) return *v;
  std::string names;
  for (uint32_t v = 0; v <= protocol::io::status::ERROR; ++v) {
    const auto name = kind == BufferKind::IoQueue ? protocol::io::status_name(v) : protocol::status_name(v);
    if (!name) continue;
    if (*name == word) return v;
    names.append(names.empty() ? "" : ", ").append(*name);
  }
  throw Error::usage("--status " + std::string(word) + " is not a status of " +
                         (kind == BufferKind::IoQueue ? std::string("an IO slot") : std::string("a ring slot")),
                     "use one of " + names + ", or a number");
}

uint32_t parse_opcode(std::string_view word, BufferKind kind) {
  if (auto v = parse_number(word)) return *v;
  if (kind == BufferKind::IoQueue) {
    for (uint32_t v = 0; v <= protocol::io::op::FENCE; ++v)
      if (protocol::io::op_name(v) == word) return v;
    throw Error::usage("--opcode " + std::string(word) + " is not an IO op", "use READ, WRITE, FENCE or a number");
  }
  if (auto v = protocol::opcode::from_name(word)) return *v;
  throw Error::usage("--opcode " + std::string(word) + " is not an opcode name",
                     "use one of " + protocol::opcode::names_list() + ", or a number such as 0x100");
}

bool listed(uint32_t status, const Selection& s) {
  if (!s.statuses.empty()) return std::find(s.statuses.begin(), s.statuses.end(), status) != s.statuses.end();
  return s.all || status != protocol::slot::EMPTY;
}

bool any_of(const std::vector<uint32_t>& values, uint32_t v) {
  return values.empty() || std::find(values.begin(), values.end(), v) != values.end();
}

}  // namespace

IndexRange parse_index_range(std::string_view text, std::string_view option) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos)
    throw Error::usage(std::string(option) + " " + std::string(text) + " is not a range A:B",
                       "write A:B (half-open), A: or :B; a negative bound counts from the end, e.g. -10:");
  try {
    return {parse_bound(text.substr(0, colon)), parse_bound(text.substr(colon + 1))};
  } catch (const std::invalid_argument&) {
    throw Error::usage(std::string(option) + " " + std::string(text) + ": a bound is not a whole number",
                       "write A:B with whole numbers, e.g. 0:100 or -10:");
  }
}

std::pair<uint64_t, uint64_t> resolve_range(const IndexRange& range, uint64_t count) {
  const auto clamp = [count](std::optional<int64_t> bound, uint64_t fallback) -> uint64_t {
    if (!bound) return fallback;
    if (*bound < 0) {
      const uint64_t back = static_cast<uint64_t>(-(*bound + 1)) + 1;  // no overflow at INT64_MIN
      return back >= count ? 0 : count - back;
    }
    return std::min<uint64_t>(static_cast<uint64_t>(*bound), count);
  };
  const uint64_t first = clamp(range.begin, 0), last = clamp(range.end, count);
  return {first, std::max(first, last)};
}

Selection parse_selection(BufferKind kind, const SelectionRequest& r) {
  const std::string name = kind_name(kind);
  auto refuse = [&](const std::string& option, const std::string& takes) {
    throw Error::usage(option + " does not apply to a " + name + " buffer", option + " applies to " + takes);
  };
  Selection s;
  s.all = r.all;
  const bool records = kind == BufferKind::DebugLog || kind == BufferKind::Replay;
  if (!slotted(kind)) {
    if (!r.slots.empty())
      refuse("--slots", "ring and io-queue buffers" + (records ? "; use --records for a " + name : std::string()));
    if (!r.statuses.empty()) refuse("--status", "ring and io-queue buffers");
    if (!r.opcodes.empty()) refuse("--opcode", "ring and io-queue buffers");
  }
  if (r.tenant && kind != BufferKind::Ring)
    refuse("--tenant", kind == BufferKind::IoQueue ? "ring buffers (an IO slot has no tenant)" : "ring buffers");
  if (!records && !r.records.empty())
    refuse("--records", "debug-log and replay buffers" + (slotted(kind) ? "; use --slots for a " + name : std::string()));
  if (!r.slots.empty()) s.slots = parse_index_range(r.slots, "--slots");
  if (!r.records.empty()) s.records = parse_index_range(r.records, "--records");
  for (const auto& w : r.statuses) s.statuses.push_back(parse_status(w, kind));
  for (const auto& w : r.opcodes) s.opcodes.push_back(parse_opcode(w, kind));
  s.tenant = r.tenant;
  return s;
}

std::vector<uint32_t> select_ring_slots(ByteSpan ring, const Selection& s, bool listing) {
  validate_ring_bytes(ring);
  const uint64_t count = ring.size() / protocol::SLOT_BYTES;
  const auto [first, last] = s.slots ? resolve_range(*s.slots, count) : std::pair<uint64_t, uint64_t>{0, count};
  std::vector<uint32_t> out;
  for (uint64_t i = first; i < last; ++i) {
    const uint8_t* p = ring.data() + i * protocol::SLOT_BYTES;
    const uint32_t status = detail::load_u32(p + 4 * protocol::STATUS_WORD);
    if (listing ? !listed(status, s) : !any_of(s.statuses, status)) continue;
    if (!any_of(s.opcodes, detail::load_u32(p + 4 * protocol::OPCODE_WORD))) continue;
    if (s.tenant && detail::load_u32(p + 4 * protocol::TENANT_WORD) != *s.tenant) continue;
    out.push_back(static_cast<uint32_t>(i));
  }
  return out;
}

std::vector<uint32_t> select_io_slots(ByteSpan q, const Selection& s, bool listing) {
  const uint64_t count = q.size() / protocol::io::IO_SLOT_BYTES;
  const auto [first, last] = s.slots ? resolve_range(*s.slots, count) : std::pair<uint64_t, uint64_t>{0, count};
  std::vector<uint32_t> out;
  for (uint64_t i = first; i < last; ++i) {
    const uint8_t* p = q.data() + i * protocol::io::IO_SLOT_BYTES;
    const uint32_t status = detail::load_u32(p + 4 * protocol::io::word::STATUS);
    if (listing ? !listed(status, s) : !any_of(s.statuses, status)) continue;
    if (!any_of(s.opcodes, detail::load_u32(p + 4 * protocol::io::word::OP_TYPE))) continue;
    out.push_back(static_cast<uint32_t>(i));
  }
  return out;
}

std::pair<uint64_t, uint64_t> resolve_records(const std::optional<IndexRange>& range, uint64_t count) {
  return range ? resolve_range(*range, count) : std::pair<uint64_t, uint64_t>{0, count};
}

}  // namespace vyre
