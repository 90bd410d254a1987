#include "vyre/packed_slot.h"
#include "vyre/slot_publish.h"
#include "vyre/ring_spec.h"
#include "vyre/json_document.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include "vyre/error.h"
#include "vyre/labels.h"
#include "vyre/ring.h"

namespace vyre {

using nlohmann::json;
namespace op = protocol::opcode;

namespace {

constexpr const char* kSpecFix = "see schemas/ring-spec.schema.json and man vyre-encode-ring";

// Builds "source: path" lazily: paths are only rendered when an error is
// thrown, which keeps million-slot specs fast.
class SpecContext {
 public:
  explicit SpecContext(std::string_view source) : source_(source) {}
  [[noreturn]] void fail(const std::string& path, const std::string& what, const std::string& fix = kSpecFix) const {
    throw Error::invalid_input(std::string(source_) + ": " + (path.empty() ? "(document root)" : path), what, fix);
  }

 private:
  std::string_view source_;
};

std::string slot_path(size_t i) { return "slots[" + std::to_string(i) + "]"; }

std::string type_name(const json& v) { return v.type_name(); }

uint32_t as_u32(const json& v, const SpecContext& ctx, const std::string& path) {
  if (v.is_number_unsigned()) {
    const auto n = v.get<uint64_t>();
    if (n > 0xFFFFFFFFull) ctx.fail(path, std::to_string(n) + " does not fit in a u32 word", "use a value in 0..4294967295");
    return static_cast<uint32_t>(n);
  }
  if (v.is_number_integer()) ctx.fail(path, "negative value " + v.dump() + " is not a u32", "use a value in 0..4294967295");
  if (v.is_string()) {
    // Hex strings ("0xFFFD") are accepted because protocol values are
    // usually written that way.
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      std::string digits;
      for (char c : s.substr(2))
        if (c != '_') digits.push_back(c);
      uint32_t out = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out, 16);
      if (ec == std::errc() && ptr == digits.data() + digits.size() && !digits.empty()) return out;
    }
    ctx.fail(path, "string \"" + s + "\" is not a u32", "use a JSON number or a hex string such as \"0xFFFD\"");
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    // A whole number written with a fraction or an exponent (1.0, 1e3), or
    // one the parser could not hold as an integer (2^64 and up).
    if (d >= 0 && d == std::floor(d)) {
      if (d <= 4294967295.0)
        ctx.fail(path, v.dump() + " is written as a fraction or an exponent, not as an integer",
                 "write it as an integer, e.g. " + std::to_string(static_cast<uint64_t>(d)));
      ctx.fail(path, v.dump() + " does not fit in a u32 word", "use a value in 0..4294967295");
    }
    ctx.fail(path, v.dump() + " is not a whole number", "use a whole number in 0..4294967295");
  }
  ctx.fail(path, "expected a u32 number, got " + type_name(v), "use a JSON number in 0..4294967295");
}

uint32_t parse_opcode(const json& v, const SpecContext& ctx, const std::string& path) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (auto value = op::from_name(s)) return *value;
    if (s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0) return as_u32(v, ctx, path);
    ctx.fail(path, "unknown opcode name \"" + s + "\"", "use a protocol name (" + op::names_list() + ") or a number");
  }
  return as_u32(v, ctx, path);
}

void check_keys(const json& obj, std::initializer_list<const char*> allowed, const SpecContext& ctx,
                const std::string& path) {
  for (const auto& [key, value] : obj.items()) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || key == a;
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
      ctx.fail(path + "." + key, "unknown key \"" + key + "\"", "remove it or fix its spelling; allowed keys here: " + list);
    }
  }
}

const json& require_object(const json& v, const SpecContext& ctx, const std::string& path) {
  if (!v.is_object()) ctx.fail(path, "expected an object, got " + type_name(v));
  return v;
}

std::vector<uint32_t> parse_args(const json& v, const SpecContext& ctx, const std::string& path) {
  if (!v.is_array()) ctx.fail(path, "expected an array of u32 words, got " + type_name(v));
  if (v.size() > protocol::ARGS_PER_SLOT)
    ctx.fail(path, std::to_string(v.size()) + " args; a slot holds at most " + std::to_string(protocol::ARGS_PER_SLOT),
             "split the work over several slots, or pack small ops with PACKED_SLOT");
  std::vector<uint32_t> args;
  args.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) args.push_back(as_u32(v[i], ctx, path + "[" + std::to_string(i) + "]"));
  return args;
}

class SpecEncoder {
 public:
  SpecEncoder(const json& spec, std::string_view source) : spec_(spec), ctx_(source) {}

  Bytes run() {
    require_object(spec_, ctx_, "");
    check_keys(spec_, {"$schema", "comment", "slot_count", "tenant", "slots", "batch_fence"}, ctx_, "");
    if (!spec_.contains("slot_count")) ctx_.fail("slot_count", "missing required key \"slot_count\"", "add \"slot_count\": N");
    slot_count_ = as_u32(spec_["slot_count"], ctx_, "slot_count");
    // The codec encodes an empty ring, but no tool reads one back.
    if (slot_count_ == 0) ctx_.fail("slot_count", "a ring needs at least one slot", "use a slot_count of 1 or more");
    if (slot_count_ > protocol::MAX_ENCODED_RING_SLOTS)
      ctx_.fail("slot_count",
                "slot_count " + std::to_string(slot_count_) + " exceeds the megakernel allocation cap of " +
                    std::to_string(protocol::MAX_ENCODED_RING_SLOTS),
                "split the dispatch into smaller ring shards");
    if (spec_.contains("tenant")) default_tenant_ = as_u32(spec_["tenant"], ctx_, "tenant");
    ring_ = encode_empty_ring(slot_count_);
    owner_.assign(slot_count_, 0);
    size_t count = 0;
    if (spec_.contains("slots")) {
      const json& slots = spec_["slots"];
      if (!slots.is_array()) ctx_.fail("slots", "expected an array of slot objects, got " + type_name(slots));
      count = slots.size();
      for (size_t i = 0; i < slots.size(); ++i) encode_slot(slots[i], i);
    }
    if (spec_.contains("batch_fence")) encode_fence(spec_["batch_fence"], count);
    return std::move(ring_);
  }

 private:
  uint32_t claim_slot(const json& s, size_t i, const std::string& path) {
    uint32_t index = next_slot_;
    if (s.contains("slot")) index = as_u32(s["slot"], ctx_, path + ".slot");
    if (index >= slot_count_) {
      const std::string where = s.contains("slot") ? path + ".slot" : path;
      ctx_.fail(where,
                "slot " + std::to_string(index) + " is out of range for slot_count " + std::to_string(slot_count_),
                "raise slot_count or use a slot index below it");
    }
    if (owner_[index] != 0)
      ctx_.fail(s.contains("slot") ? path + ".slot" : path,
                "duplicate slot " + std::to_string(index) + ", already published by " + slot_path(owner_[index] - 1),
                "give each spec entry its own slot index");
    owner_[index] = static_cast<uint32_t>(i + 1);
    next_slot_ = index + 1;
    max_slot_ = std::max<int64_t>(max_slot_, index);
    return index;
  }

  void encode_slot(const json& s, size_t i) {
    const std::string path = slot_path(i);
    require_object(s, ctx_, path);
    if (s.contains("work_item")) return encode_work_item(s, i, path);
    if (!s.contains("opcode")) ctx_.fail(path, "missing key \"opcode\"", "add \"opcode\": NAME or number, or use \"work_item\"");
    const uint32_t opcode = parse_opcode(s["opcode"], ctx_, path + ".opcode");
    if (opcode == op::LOAD_MISS) return encode_load_miss_slot(s, i, path);
    if (opcode == op::PACKED_SLOT) return encode_packed(s, i, path);
    check_keys(s, {"slot", "opcode", "tenant", "args", "comment"}, ctx_, path);
    if (auto why = op::validate_publish_opcode(opcode); !why.empty())
      ctx_.fail(path + ".opcode", opcode_text(opcode) + " is a reserved system opcode and cannot be published (" +
                                      std::string(why) + ")",
                "use a built-in opcode or a user opcode in 8..0xFFEF or 0x10000..0x7FFFFFFF");
    std::vector<uint32_t> args;
    if (s.contains("args")) args = parse_args(s["args"], ctx_, path + ".args");
    const uint32_t tenant = s.contains("tenant") ? as_u32(s["tenant"], ctx_, path + ".tenant") : default_tenant_;
    const uint32_t index = claim_slot(s, i, path);
    publish(path, [&] { publish_slot(ring_, index, tenant, opcode, args); });
  }

  void encode_packed(const json& s, size_t i, const std::string& path) {
    check_keys(s, {"slot", "opcode", "tenant", "ops", "args", "comment"}, ctx_, path);
    if (s.contains("ops") == s.contains("args"))
      ctx_.fail(path, "PACKED_SLOT needs exactly one of \"ops\" (inner ops to pack) or \"args\" (raw packed words)",
                "add \"ops\": [{\"opcode\": u8, \"args\": [...]}]");
    const uint32_t slot_tenant = s.contains("tenant") ? as_u32(s["tenant"], ctx_, path + ".tenant") : default_tenant_;
    if (s.contains("args")) {
      // Raw words, e.g. copied from a captured ring: published as they are.
      const std::vector<uint32_t> raw = parse_args(s["args"], ctx_, path + ".args");
      const uint32_t index = claim_slot(s, i, path);
      publish(path, [&] { publish_slot(ring_, index, slot_tenant, op::PACKED_SLOT, raw); });
      return;
    }
    const json& ops = s["ops"];
    if (!ops.is_array()) ctx_.fail(path + ".ops", "expected an array of inner ops, got " + type_name(ops));
    std::vector<PackedOp> packed;
    packed.reserve(ops.size());
    for (size_t k = 0; k < ops.size(); ++k) {
      const std::string op_path = path + ".ops[" + std::to_string(k) + "]";
      require_object(ops[k], ctx_, op_path);
      check_keys(ops[k], {"opcode", "args"}, ctx_, op_path);
      if (!ops[k].contains("opcode")) ctx_.fail(op_path, "missing key \"opcode\"", "add \"opcode\": u8");
      const uint32_t inner = parse_opcode(ops[k]["opcode"], ctx_, op_path + ".opcode");
      if (inner > 0xFF)
        ctx_.fail(op_path + ".opcode", "inner opcode " + opcode_text(inner) + " does not fit the packed u8 opcode byte",
                  "packed inner ops take opcodes 0..255");
      PackedOp p;
      p.opcode = static_cast<uint8_t>(inner);
      if (ops[k].contains("args")) p.args = parse_args(ops[k]["args"], ctx_, op_path + ".args");
      packed.push_back(std::move(p));
    }
    const uint32_t tenant = slot_tenant;
    std::vector<uint32_t> args;
    publish(
        path + ".ops", [&] { args = pack_slot_args(packed); },
        "use fewer inner ops or fewer args: the ceil((2 + 2n) / 4) metadata words plus the packed args must fit in "
        "12 words");
    const uint32_t index = claim_slot(s, i, path);
    publish(path, [&] { publish_slot(ring_, index, tenant, op::PACKED_SLOT, args); });
  }

  void encode_load_miss_slot(const json& s, size_t i, const std::string& path) {
    check_keys(s, {"slot", "opcode", "resource_id", "prefetch", "comment"}, ctx_, path);
    if (!s.contains("resource_id"))
      ctx_.fail(path, "LOAD_MISS needs \"resource_id\"", "add \"resource_id\": u32 (and optionally \"prefetch\": bool)");
    const uint32_t resource = as_u32(s["resource_id"], ctx_, path + ".resource_id");
    bool prefetch = false;
    if (s.contains("prefetch")) {
      if (!s["prefetch"].is_boolean())
        ctx_.fail(path + ".prefetch", "expected true or false, got " + type_name(s["prefetch"]));
      prefetch = s["prefetch"].get<bool>();
    }
    const uint32_t index = claim_slot(s, i, path);
    // LOAD_MISS is outside the publishable range; upstream builds the slot
    // with encode_load_miss (tenant 0, priority CRITICAL).
    const Bytes slot = encode_load_miss(resource, prefetch);
    std::copy(slot.begin(), slot.end(), ring_.begin() + uint64_t{index} * protocol::SLOT_BYTES);
  }

  void encode_work_item(const json& s, size_t i, const std::string& path) {
    check_keys(s, {"slot", "tenant", "work_item", "comment"}, ctx_, path);
    const json& w = require_object(s["work_item"], ctx_, path + ".work_item");
    check_keys(w, {"op", "input", "output", "param"}, ctx_, path + ".work_item");
    if (!w.contains("op")) ctx_.fail(path + ".work_item", "missing key \"op\"", "add \"op\": opcode");
    WorkItem item;
    item.op = parse_opcode(w["op"], ctx_, path + ".work_item.op");
    if (auto why = op::validate_publish_opcode(item.op); !why.empty())
      ctx_.fail(path + ".work_item.op", opcode_text(item.op) + " is a reserved system opcode (" + std::string(why) + ")",
                "use a built-in opcode or a user opcode in 8..0xFFEF or 0x10000..0x7FFFFFFF");
    if (w.contains("input")) item.input = as_u32(w["input"], ctx_, path + ".work_item.input");
    if (w.contains("output")) item.output = as_u32(w["output"], ctx_, path + ".work_item.output");
    if (w.contains("param")) item.param = as_u32(w["param"], ctx_, path + ".work_item.param");
    const uint32_t tenant = s.contains("tenant") ? as_u32(s["tenant"], ctx_, path + ".tenant") : default_tenant_;
    const uint32_t index = claim_slot(s, i, path);
    publish(path, [&] { publish_work_items(ring_, index, tenant, std::span<const WorkItem>(&item, 1)); });
  }

  void encode_fence(const json& f, size_t count) {
    require_object(f, ctx_, "batch_fence");
    check_keys(f, {"tag"}, ctx_, "batch_fence");
    const uint32_t tag = f.contains("tag") ? as_u32(f["tag"], ctx_, "batch_fence.tag") : 0;
    const uint64_t fence_slot = static_cast<uint64_t>(max_slot_ + 1);
    if (fence_slot >= slot_count_)
      ctx_.fail("batch_fence",
                "the BATCH_FENCE goes after the last slot, at slot " + std::to_string(fence_slot) +
                    ", which is out of range for slot_count " + std::to_string(slot_count_),
                "raise slot_count by one");
    const uint32_t args[2] = {static_cast<uint32_t>(count), tag};
    publish("batch_fence", [&] { publish_slot(ring_, static_cast<uint32_t>(fence_slot), default_tenant_, op::BATCH_FENCE, args); });
  }

  // Library errors carry upstream's text; report its reason at the spec path.
  template <typename F>
  void publish(const std::string& path, F&& f, const char* fix = kSpecFix) {
    try {
      f();
    } catch (const Error& e) {
      ctx_.fail(path, e.kind() == ErrorKind::QueueFull ? e.fix() : std::string(e.what()), fix);
    }
  }

  const json& spec_;
  SpecContext ctx_;
  Bytes ring_;
  std::vector<uint32_t> owner_;  // spec index + 1 of the entry that wrote each slot
  uint32_t slot_count_ = 0, default_tenant_ = 0, next_slot_ = 0;
  int64_t max_slot_ = -1;
};

}  // namespace

Bytes encode_ring_spec(const json& spec, std::string_view source) { return SpecEncoder(spec, source).run(); }

Bytes encode_ring_spec_text(std::string_view text, std::string_view source) {
  return encode_ring_spec(parse_json_document(text, source), source);
}

}  // namespace vyre
