// Control buffer (binding 0): encoder, strict and lenient word readers,
// default priority partition offsets, and the decoded view used by
// `vyre inspect`, dispatch reports and `vyre diff`.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "vyre/protocol.h"

namespace vyre {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;
using MutableByteSpan = std::span<uint8_t>;
using MetricPair = std::pair<uint32_t, uint32_t>;  // (opcode slot, count)

// Byte length of a control buffer with `observable_slots` observables, or
// nullopt past the wire limit (upstream control_byte_len).
std::optional<uint64_t> control_byte_len(uint32_t observable_slots);

// Upstream try_encode_control / try_encode_control_into (ProtocolError kinds).
// Priority offsets are not written; see write_default_priority_offsets.
Bytes encode_control(bool shutdown, uint32_t tenant_count, uint32_t observable_slots);
void encode_control_into(bool shutdown, uint32_t tenant_count, uint32_t observable_slots, Bytes& dst);

// Strict readers (upstream try_read_*): ProtocolError on a misaligned or
// short buffer.
uint32_t read_done_count(ByteSpan control);
uint32_t read_epoch(ByteSpan control);
uint32_t read_observable(ByteSpan control, uint32_t index);
std::vector<MetricPair> read_metrics(ByteSpan control);

// Lenient readers (upstream read_observable / read_metrics): never throw;
// a truncated buffer yields 0 or the readable prefix.
uint32_t read_observable_or_zero(ByteSpan control, uint32_t index);
std::vector<MetricPair> read_metrics_lenient(ByteSpan control);

// `total/5` slots per priority level, the remainder to NORMAL; offsets are
// the running starts plus the total as sentinel.
std::array<uint32_t, protocol::control::PRIORITY_OFFSETS_SLOTS> default_priority_offsets(uint32_t total_slots);
// Writes them into words 129..134 (PipelineError QueueFull when the buffer
// is misaligned or too small; like upstream, words that fit are written
// before the error).
void write_default_priority_offsets(MutableByteSpan control, uint32_t total_slots);

// Upstream validate_control_bytes: at least CONTROL_MIN_WORDS whole words
// (PipelineError Backend).
void validate_control_bytes(ByteSpan control);

struct ControlView {
  uint64_t byte_len = 0;
  uint32_t shutdown = 0;
  uint32_t done_count = 0;
  uint32_t tenant_base = 0;
  // Words TENANT_BASE+1 .. TENANT_QUOTA_BASE-1 (masks of tenants 0..28 with
  // the encoder's base of 3).
  std::vector<uint32_t> tenant_masks;
  std::array<uint32_t, 32> tenant_quotas{};
  std::array<uint32_t, protocol::control::TENANT_FAIRNESS_SLOTS> tenant_fairness{};
  std::array<uint32_t, protocol::control::METRICS_SLOTS> metrics{};
  uint32_t epoch = 0;
  std::array<uint32_t, protocol::control::PRIORITY_OFFSETS_SLOTS> priority_offsets{};
  uint32_t priority_starvation = 0;
  std::array<uint32_t, protocol::control::PRIORITY_FAIRNESS_SLOTS> priority_fairness{};
  // Words between the priority fairness counters and OBS that no encoder
  // writes; reported when non-zero because only a foreign writer sets them.
  std::vector<MetricPair> reserved_nonzero;  // (word index, value)
  std::vector<uint32_t> observables;         // words OBSERVABLE_BASE..end

  // Mask of `tenant` as the kernel reads it: C[C[TENANT_BASE] + tenant],
  // nullopt when that word is outside the buffer.
  std::optional<uint32_t> mask_of(uint32_t tenant, ByteSpan control) const;
};

// Decodes a control buffer that passes validate_control_bytes.
ControlView decode_control(ByteSpan control);

}  // namespace vyre
