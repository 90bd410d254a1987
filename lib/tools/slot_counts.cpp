#include "vyre/slot_counts.h"

#include <array>
#include <cstdio>

#include "vyre/detail/words.h"
#include "vyre/labels.h"
#include "vyre/protocol.h"

namespace vyre {

using nlohmann::json;

namespace {

bool io(const SlotCounts& c) { return c.kind == BufferKind::IoQueue; }

std::string status_key(const SlotCounts& c, uint32_t status) {
  const auto name = io(c) ? protocol::io::status_name(status) : protocol::status_name(status);
  return name ? std::string(*name) : std::to_string(status);
}

std::string opcode_key(const SlotCounts& c, uint32_t op) {
  if (io(c)) {
    const auto name = protocol::io::op_name(op);
    return name ? std::string(*name) : std::to_string(op);
  }
  return opcode_label(op);
}

template <typename Key>
void append_table(std::string& out, const char* title, const std::map<uint32_t, uint64_t>& counts, Key key) {
  if (counts.empty()) return;
  char line[160];
  std::snprintf(line, sizeof line, "%-12s %12s\n", title, "slots");
  out += line;
  for (const auto& [value, n] : counts) {
    std::snprintf(line, sizeof line, "%-12s %12llu\n", key(value).c_str(), static_cast<unsigned long long>(n));
    out += line;
  }
}

}  // namespace

SlotCounts count_ring_slots(ByteSpan ring, std::span<const uint32_t> slots) {
  SlotCounts c;
  c.kind = BufferKind::Ring;
  c.byte_len = ring.size();
  c.slot_count = ring.size() / protocol::SLOT_BYTES;
  c.selected = slots.size();
  // Counted in flat arrays for the common small values, then folded in.
  std::array<uint64_t, 16> status{}, opcode{}, tenant{};
  for (const uint32_t i : slots) {
    const uint8_t* p = ring.data() + uint64_t{i} * protocol::SLOT_BYTES;
    const uint32_t st = detail::load_u32(p + 4 * protocol::STATUS_WORD);
    if (st < status.size()) ++status[st];
    else ++c.by_status[st];
    if (st == protocol::slot::EMPTY) continue;
    const uint32_t op = detail::load_u32(p + 4 * protocol::OPCODE_WORD);
    const uint32_t t = detail::load_u32(p + 4 * protocol::TENANT_WORD);
    if (op < opcode.size()) ++opcode[op];
    else ++c.by_opcode[op];
    if (t < tenant.size()) ++tenant[t];
    else ++c.by_tenant[t];
  }
  for (uint32_t v = 0; v < 16; ++v) {
    if (status[v]) c.by_status[v] += status[v];
    if (opcode[v]) c.by_opcode[v] += opcode[v];
    if (tenant[v]) c.by_tenant[v] += tenant[v];
  }
  return c;
}

SlotCounts count_io_slots(ByteSpan q, std::span<const uint32_t> slots) {
  SlotCounts c;
  c.kind = BufferKind::IoQueue;
  c.byte_len = q.size();
  c.slot_count = q.size() / protocol::io::IO_SLOT_BYTES;
  c.selected = slots.size();
  for (const uint32_t i : slots) {
    const uint8_t* p = q.data() + uint64_t{i} * protocol::io::IO_SLOT_BYTES;
    const uint32_t st = detail::load_u32(p + 4 * protocol::io::word::STATUS);
    ++c.by_status[st];
    if (st != protocol::slot::EMPTY) ++c.by_opcode[detail::load_u32(p + 4 * protocol::io::word::OP_TYPE)];
  }
  return c;
}

json slot_counts_json(const SlotCounts& c) {
  auto named = [&](const std::map<uint32_t, uint64_t>& counts, auto key) {
    json out = json::object();
    for (const auto& [value, n] : counts) out[key(value)] = n;
    return out;
  };
  json doc = {{"kind", std::string(buffer_kind_info(c.kind).name)},
              {"byte_len", c.byte_len},
              {"slot_count", c.slot_count},
              {"selected", c.selected},
              {"by_status", named(c.by_status, [&](uint32_t v) { return status_key(c, v); })}};
  if (io(c)) {
    doc["by_op"] = named(c.by_opcode, [&](uint32_t v) { return opcode_key(c, v); });
  } else {
    doc["by_opcode"] = named(c.by_opcode, [&](uint32_t v) { return opcode_key(c, v); });
    doc["by_tenant"] = named(c.by_tenant, [](uint32_t v) { return std::to_string(v); });
  }
  return doc;
}

std::string slot_counts_text(const SlotCounts& c) {
  char head[200];
  std::snprintf(head, sizeof head, "%s: %llu slots (%llu bytes), %llu selected\n",
                std::string(buffer_kind_info(c.kind).name).c_str(), static_cast<unsigned long long>(c.slot_count),
                static_cast<unsigned long long>(c.byte_len), static_cast<unsigned long long>(c.selected));
  std::string out = head;
  append_table(out, "status", c.by_status, [&](uint32_t v) { return status_key(c, v); });
  append_table(out, io(c) ? "op" : "opcode", c.by_opcode, [&](uint32_t v) { return opcode_key(c, v); });
  if (!io(c)) append_table(out, "tenant", c.by_tenant, [](uint32_t v) { return std::to_string(v); });
  return out;
}

}  // namespace vyre
