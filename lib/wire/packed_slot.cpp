#include "vyre/slot_publish.h"
#include "vyre/packed_slot.h"

#include "publish_checks.h"

namespace vyre {

namespace op = protocol::opcode;
using protocol::ARGS_PER_SLOT;
using namespace detail;

std::vector<uint32_t> pack_slot_args(std::span<const PackedOp> ops) {
  if (ops.size() > 255) throw Error::queue_full("packed slot supports at most 255 inner opcodes");
  const uint64_t metadata_words = (op::PACKED_HEADER_BYTES + op::PACKED_OP_BYTES * uint64_t{ops.size()} + 3) / 4;
  if (metadata_words > ARGS_PER_SLOT)
    throw Error::queue_full("packed slot metadata exceeds the 12-word slot argument budget");
  SlotArgs args{};
  auto put_byte = [&](size_t byte_index, uint8_t value) {
    args[byte_index / 4] |= uint32_t{value} << ((byte_index % 4) * 8);
  };
  std::vector<uint32_t> packed;
  put_byte(0, static_cast<uint8_t>(ops.size()));
  for (size_t i = 0; i < ops.size(); ++i) {
    const auto arg_offset = static_cast<uint8_t>(packed.size());
    if (metadata_words + packed.size() + ops[i].args.size() > ARGS_PER_SLOT)
      throw Error::queue_full("packed slot payload exceeds the 12-word slot argument budget");
    packed.insert(packed.end(), ops[i].args.begin(), ops[i].args.end());
    put_byte(op::packed_op_byte(i), ops[i].opcode);
    put_byte(op::packed_op_byte(i) + 1, arg_offset);
  }
  put_byte(1, static_cast<uint8_t>(packed.size()));
  std::copy(packed.begin(), packed.end(), args.begin() + metadata_words);
  return {args.begin(), args.begin() + metadata_words + packed.size()};
}

void publish_packed_slot(MutableByteSpan ring, uint32_t slot_idx, uint32_t tenant_id, std::span<const PackedOp> ops) {
  const auto args = pack_slot_args(ops);
  publish_slot(ring, slot_idx, tenant_id, op::PACKED_SLOT, args);
}

PackedView decode_packed(const SlotArgs& args) {
  auto byte_at = [&](size_t i) -> uint8_t { return static_cast<uint8_t>(args[i / 4] >> ((i % 4) * 8)); };
  PackedView v;
  v.op_count = byte_at(0);
  v.arg_words = byte_at(1);
  v.metadata_words = op::packed_metadata_words(v.op_count);
  // Only pairs whose metadata bytes lie inside the 48 argument bytes exist.
  const uint32_t listed = std::min<uint32_t>(v.op_count, (ARGS_PER_SLOT * 4 - 2) / 2);
  const uint32_t kernel_count = std::min<uint32_t>(v.op_count, op::PACKED_MAX_INNER_OPS);
  const uint32_t kernel_meta = op::packed_metadata_words(kernel_count);
  for (uint32_t i = 0; i < listed; ++i) {
    PackedInnerOp inner;
    inner.opcode = byte_at(op::packed_op_byte(i));
    inner.arg_offset = byte_at(op::packed_op_byte(i) + 1);
    const uint32_t next = (i + 1 < listed) ? byte_at(op::packed_op_byte(i + 1) + 1) : v.arg_words;
    const uint32_t from = v.metadata_words + inner.arg_offset;
    const uint32_t to = std::min<uint32_t>(v.metadata_words + std::max<uint32_t>(next, inner.arg_offset), ARGS_PER_SLOT);
    for (uint32_t w = from; w < to; ++w) inner.args.push_back(args[w]);
    const uint32_t kbase = kernel_meta + inner.arg_offset;
    inner.executed = i < kernel_count && kbase + op::PACKED_INNER_ARGS <= ARGS_PER_SLOT;
    if (inner.executed)
      for (uint32_t k = 0; k < op::PACKED_INNER_ARGS; ++k) inner.kernel_args[k] = args[kbase + k];
    v.ops.push_back(std::move(inner));
  }
  return v;
}

}  // namespace vyre
