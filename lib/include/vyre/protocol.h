// Every constant of the vyre megakernel wire protocol (vyre-runtime 0.6.x),
// named as in vyre-protocol(7). Nothing else in the project defines a protocol
// number: the codecs, the reference interpreter and the OpenCL host layer all
// read them from here (the kernel receives them as -D build options).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vyre::protocol {

// Ring slot layout (words).
inline constexpr uint32_t SLOT_WORDS = 16;
inline constexpr uint32_t SLOT_BYTES = SLOT_WORDS * 4;
inline constexpr uint32_t STATUS_WORD = 0;
inline constexpr uint32_t OPCODE_WORD = 1;
inline constexpr uint32_t TENANT_WORD = 2;
inline constexpr uint32_t PRIORITY_WORD = 3;
inline constexpr uint32_t ARG0_WORD = 4;
inline constexpr uint32_t ARGS_PER_SLOT = SLOT_WORDS - ARG0_WORD;

inline constexpr uint32_t CONTROL_MIN_WORDS = 160;

namespace control {
inline constexpr uint32_t SHUTDOWN = 0;
inline constexpr uint32_t DONE_COUNT = 1;
inline constexpr uint32_t TENANT_BASE = 2;
inline constexpr uint32_t TENANT_QUOTA_BASE = 32;
inline constexpr uint32_t TENANT_FAIRNESS_BASE = 64;
inline constexpr uint32_t TENANT_FAIRNESS_SLOTS = 32;
inline constexpr uint32_t METRICS_BASE = TENANT_FAIRNESS_BASE + TENANT_FAIRNESS_SLOTS;
inline constexpr uint32_t METRICS_SLOTS = 32;
inline constexpr uint32_t EPOCH = METRICS_BASE + METRICS_SLOTS;
inline constexpr uint32_t PRIORITY_OFFSETS_BASE = EPOCH + 1;
inline constexpr uint32_t PRIORITY_OFFSETS_SLOTS = 6;
inline constexpr uint32_t PRIORITY_STARVATION_COUNTER = PRIORITY_OFFSETS_BASE + PRIORITY_OFFSETS_SLOTS;
inline constexpr uint32_t PRIORITY_FAIRNESS_BASE = PRIORITY_STARVATION_COUNTER + 1;
inline constexpr uint32_t PRIORITY_FAIRNESS_SLOTS = 5;
inline constexpr uint32_t OBSERVABLE_BASE = 160;
// The encoder fills masks from word TENANT_BASE + 1 up to (not including)
// TENANT_QUOTA_BASE, so at most 29 tenants get a mask; quotas cover 32.
inline constexpr uint32_t TENANT_MASK_DEFAULT = 0xFFFFFFFFu;
inline constexpr uint32_t TENANT_QUOTA_DEFAULT = 1'000'000;
static_assert(OBSERVABLE_BASE > PRIORITY_FAIRNESS_BASE + PRIORITY_FAIRNESS_SLOTS);
static_assert(EPOCH == 128 && PRIORITY_OFFSETS_BASE == 129 && PRIORITY_STARVATION_COUNTER == 135);
}  // namespace control

inline constexpr uint32_t MAX_OBSERVABLE_SLOTS = 0xFFFFFFFFu - control::OBSERVABLE_BASE;
inline constexpr uint32_t MAX_ENCODED_OBSERVABLE_SLOTS = 1'048'576;
inline constexpr uint32_t MAX_RING_SLOTS = 0xFFFFFFFFu / SLOT_WORDS;
inline constexpr uint32_t MAX_ENCODED_RING_SLOTS = 1'048'576;

namespace debug {
inline constexpr uint32_t CURSOR_WORD = 0;
inline constexpr uint32_t RECORDS_BASE = 1;
inline constexpr uint32_t RECORD_WORDS = 4;
inline constexpr uint32_t RECORD_CAPACITY = 64;
inline constexpr uint32_t BUFFER_WORDS = RECORDS_BASE + RECORD_CAPACITY * RECORD_WORDS;
}  // namespace debug

inline constexpr uint32_t MAX_DEBUG_RECORDS = 0xFFFFFFFFu / debug::RECORD_WORDS;
inline constexpr uint32_t MAX_ENCODED_DEBUG_RECORDS = 1'048'576;

namespace slot {
inline constexpr uint32_t EMPTY = 0;
inline constexpr uint32_t PUBLISHED = 1;
inline constexpr uint32_t CLAIMED = 2;
inline constexpr uint32_t DONE = 3;
inline constexpr uint32_t WAIT_IO = 4;
inline constexpr uint32_t YIELD = 5;
inline constexpr uint32_t REQUEUE = 6;
inline constexpr uint32_t FAULT = 7;
inline constexpr uint32_t PRIORITY_CRITICAL = 0;
inline constexpr uint32_t PRIORITY_HIGH = 1;
inline constexpr uint32_t PRIORITY_NORMAL = 2;
inline constexpr uint32_t PRIORITY_LOW = 3;
inline constexpr uint32_t PRIORITY_IDLE = 4;
inline constexpr uint32_t PRIORITY_LEVELS = 5;
}  // namespace slot

// Scheduler thresholds of the upstream priority kernel (not used by the
// one-pass lane semantics, kept so every protocol number lives here).
namespace scheduler {
inline constexpr uint32_t PRIORITY_LEVELS = slot::PRIORITY_LEVELS;
inline constexpr uint32_t STARVATION_THRESHOLD = 16;
inline constexpr uint32_t TENANT_FAIRNESS_THRESHOLD = 64;
}  // namespace scheduler

namespace opcode {
#define VYRE_OPCODE(NAME, VALUE, CLASS, SUMMARY) inline constexpr uint32_t NAME = VALUE;
#include "vyre/opcodes.def"

// How a named opcode may be written into a ring (opcodes.def).
enum class OpcodeClass { Builtin, HostEncoded };
struct OpcodeInfo {
  uint32_t value;
  std::string_view name;  // as vyre-protocol(7) spells it
  OpcodeClass cls;
  std::string_view summary;
};
inline constexpr OpcodeInfo kOpcodes[] = {
#define VYRE_OPCODE(NAME, VALUE, CLASS, SUMMARY) {VALUE, #NAME, OpcodeClass::CLASS, SUMMARY},
#include "vyre/opcodes.def"
};

inline constexpr uint32_t SYSTEM_MASK = 0x80000000;
inline constexpr uint32_t RESERVED_MAX_RANGE_MIN = 0x0000FFF0;
inline constexpr uint32_t RESERVED_MAX_RANGE_MAX = 0x0000FFFF;
// Opcodes below this bound are counted in the control METRICS words.
inline constexpr uint32_t METRICS_OPCODE_LIMIT = control::METRICS_SLOTS;
// A packed slot runs at most this many inner ops, whatever its count byte says.
inline constexpr uint32_t PACKED_MAX_INNER_OPS = 4;
// An inner op reads this many argument words.
inline constexpr uint32_t PACKED_INNER_ARGS = 3;
// The packed metadata: a count byte and an arg-words byte, then an opcode
// byte and an argument-offset byte per inner op, in whole argument words.
inline constexpr uint32_t PACKED_HEADER_BYTES = 2;
inline constexpr uint32_t PACKED_OP_BYTES = 2;
constexpr uint32_t packed_metadata_words(uint32_t op_count) {
  return (PACKED_HEADER_BYTES + PACKED_OP_BYTES * op_count + 3) / 4;
}
// The byte of inner op i's opcode; its argument offset is the byte after.
constexpr uint32_t packed_op_byte(uint32_t i) { return PACKED_HEADER_BYTES + PACKED_OP_BYTES * i; }

inline constexpr std::string_view USER_OPCODE_ERROR =
    "User opcode overlaps with reserved system range or uses the high bit.";

constexpr bool is_system(uint32_t op) {
  return (op & SYSTEM_MASK) != 0 || (op >= RESERVED_MAX_RANGE_MIN && op <= RESERVED_MAX_RANGE_MAX) ||
         op <= BATCH_FENCE;
}
// A Builtin row of opcodes.def.
constexpr bool is_builtin(uint32_t op) {
  switch (op) {
#define VYRE_OPCODE(NAME, VALUE, CLASS, SUMMARY) \
  case VALUE:                                   \
    return OpcodeClass::CLASS == OpcodeClass::Builtin;
#include "vyre/opcodes.def"
    default:
      return false;
  }
}
constexpr bool is_publishable(uint32_t op) { return is_builtin(op) || !is_system(op); }

// Upstream returns Err(&'static str); here the text is returned, empty for Ok.
constexpr std::string_view validate_user_opcode(uint32_t op) {
  return is_system(op) ? USER_OPCODE_ERROR : std::string_view{};
}
constexpr std::string_view validate_publish_opcode(uint32_t op) {
  return is_builtin(op) ? std::string_view{} : validate_user_opcode(op);
}

// The vyre-protocol(7) name of a named opcode, or nullopt.
constexpr std::optional<std::string_view> name(uint32_t op) {
  for (const OpcodeInfo& o : kOpcodes)
    if (o.value == op) return o.name;
  return std::nullopt;
}
// Inverse of name(); accepts exactly the vyre-protocol(7) spelling.
constexpr std::optional<uint32_t> from_name(std::string_view name) {
  for (const OpcodeInfo& o : kOpcodes)
    if (o.name == name) return o.value;
  return std::nullopt;
}
// "NOP, STORE_U32, ..., SHUTDOWN": every name, for messages.
std::string names_list();
}  // namespace opcode

namespace io {
inline constexpr uint32_t IO_SLOT_WORDS = 8;
inline constexpr uint32_t IO_SLOT_BYTES = IO_SLOT_WORDS * 4;
inline constexpr uint32_t IO_SLOT_COUNT = 64;
namespace word {
inline constexpr uint32_t OP_TYPE = 0;
inline constexpr uint32_t SRC_HANDLE = 1;
inline constexpr uint32_t DST_HANDLE = 2;
inline constexpr uint32_t OFFSET_LO = 3;
inline constexpr uint32_t OFFSET_HI = 4;
inline constexpr uint32_t BYTE_COUNT = 5;
inline constexpr uint32_t STATUS = 6;
inline constexpr uint32_t TAG = 7;
}  // namespace word
namespace op {
inline constexpr uint32_t READ = 0x01;
inline constexpr uint32_t WRITE = 0x02;
inline constexpr uint32_t FENCE = 0x03;
}  // namespace op
namespace status {
inline constexpr uint32_t OK = 0x10;
inline constexpr uint32_t ERROR = 0x11;
}  // namespace status
std::optional<std::string_view> op_name(uint32_t op);
// Ring slot status names plus OK / ERROR.
std::optional<std::string_view> status_name(uint32_t status);
}  // namespace io

namespace replay {
inline constexpr std::string_view LOG_MAGIC = "VRRL0001";
inline constexpr uint32_t LOG_VERSION = 1;
inline constexpr uint32_t RECORD_MAGIC = 0xDEADBEEF;
inline constexpr uint64_t HEADER_BYTES = 32;
inline constexpr uint64_t RECORD_BYTES = 64;
inline constexpr uint64_t MAX_REPLAY_RECORDS = 1'048'576;
inline constexpr uint64_t CAPACITY_OFFSET = 16;
inline constexpr uint64_t NEXT_SLOT_OFFSET = 24;
inline constexpr uint32_t RECORD_ARGS = 4;
}  // namespace replay

// Name of a ring slot status (EMPTY..FAULT), or nullopt.
std::optional<std::string_view> status_name(uint32_t status);
std::optional<uint32_t> status_from_name(std::string_view name);
std::optional<std::string_view> priority_name(uint32_t priority);

}  // namespace vyre::protocol
