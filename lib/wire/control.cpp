#include "vyre/control.h"

#include <algorithm>
#include <string>

#include "vyre/detail/words.h"
#include "vyre/error.h"

namespace vyre {

namespace ctl = protocol::control;
using detail::read_word;
using detail::write_word;

namespace {

constexpr const char* kControlCapFix =
    "shard observable results or reduce observable_slots to the megakernel allocation cap before "
    "encoding control";
constexpr const char* kWholeWordsFix =
    "pass whole u32 protocol words; do not decode partial DMA/readback buffers";
constexpr const char* kMatchingEncoderFix =
    "decode only buffers produced by the matching megakernel protocol encoder";
constexpr const char* kMatchingControlEncoderFix =
    "decode only control buffers produced by the matching megakernel protocol encoder";

uint64_t control_encode_capacity(uint32_t observable_slots) {
  if (observable_slots > protocol::MAX_ENCODED_OBSERVABLE_SLOTS)
    throw Error::byte_length_overflow("control", kControlCapFix);
  return *control_byte_len(observable_slots);
}

void validate_word_aligned(const char* buffer, ByteSpan bytes) {
  if (bytes.size() % 4 != 0) throw Error::misaligned_byte_length(buffer, bytes.size(), kWholeWordsFix);
}

uint32_t read_required_word(ByteSpan bytes, uint64_t word_idx) {
  validate_word_aligned("control", bytes);
  auto word = read_word(bytes, word_idx);
  if (!word) throw Error::missing_word("control", word_idx, bytes.size(), kMatchingEncoderFix);
  return *word;
}

}  // namespace

std::optional<uint64_t> control_byte_len(uint32_t observable_slots) {
  if (observable_slots > protocol::MAX_OBSERVABLE_SLOTS) return std::nullopt;
  uint64_t words = uint64_t{ctl::OBSERVABLE_BASE} + observable_slots;
  return std::max<uint64_t>(words, protocol::CONTROL_MIN_WORDS) * 4;
}

Bytes encode_control(bool shutdown, uint32_t tenant_count, uint32_t observable_slots) {
  Bytes out;
  encode_control_into(shutdown, tenant_count, observable_slots, out);
  return out;
}

void encode_control_into(bool shutdown, uint32_t tenant_count, uint32_t observable_slots, Bytes& dst) {
  const uint64_t total = control_encode_capacity(observable_slots);
  dst.assign(total, 0);
  if (shutdown) write_word(dst, ctl::SHUTDOWN, 1);
  write_word(dst, ctl::TENANT_BASE, ctl::TENANT_BASE + 1);
  // Masks and quotas are clamped to their tables, never rejected (upstream).
  const uint64_t mask_start = ctl::TENANT_BASE + 1;
  const uint64_t mask_end = std::min<uint64_t>(mask_start + tenant_count, ctl::TENANT_QUOTA_BASE);
  for (uint64_t w = mask_start; w < mask_end; ++w) write_word(dst, w, ctl::TENANT_MASK_DEFAULT);
  const uint64_t quota_end =
      std::min<uint64_t>(uint64_t{ctl::TENANT_QUOTA_BASE} + tenant_count, ctl::TENANT_FAIRNESS_BASE);
  for (uint64_t w = ctl::TENANT_QUOTA_BASE; w < quota_end; ++w) write_word(dst, w, ctl::TENANT_QUOTA_DEFAULT);
}

uint32_t read_done_count(ByteSpan control) { return read_required_word(control, ctl::DONE_COUNT); }
uint32_t read_epoch(ByteSpan control) { return read_required_word(control, ctl::EPOCH); }

uint32_t read_observable(ByteSpan control, uint32_t index) {
  if (index > 0xFFFFFFFFu - ctl::OBSERVABLE_BASE)
    throw Error::byte_length_overflow("control",
                                      "observable index overflows the protocol word offset; shard observable reads");
  return read_required_word(control, uint64_t{ctl::OBSERVABLE_BASE} + index);
}

uint32_t read_observable_or_zero(ByteSpan control, uint32_t index) {
  try {
    return read_observable(control, index);
  } catch (const Error&) {
    return 0;
  }
}

std::vector<MetricPair> read_metrics(ByteSpan control) {
  validate_word_aligned("control", control);
  std::vector<MetricPair> out;
  for (uint32_t i = 0; i < ctl::METRICS_SLOTS; ++i) {
    auto word = read_word(control, ctl::METRICS_BASE + i);
    if (!word) throw Error::missing_word("control", ctl::METRICS_BASE + i, control.size(), kMatchingControlEncoderFix);
    if (*word > 0) out.emplace_back(i, *word);
  }
  return out;
}

std::vector<MetricPair> read_metrics_lenient(ByteSpan control) {
  std::vector<MetricPair> out;
  for (uint32_t i = 0; i < ctl::METRICS_SLOTS; ++i) {
    auto word = read_word(control, ctl::METRICS_BASE + i);
    if (!word) break;
    if (*word > 0) out.emplace_back(i, *word);
  }
  return out;
}

std::array<uint32_t, ctl::PRIORITY_OFFSETS_SLOTS> default_priority_offsets(uint32_t total_slots) {
  std::array<uint32_t, ctl::PRIORITY_OFFSETS_SLOTS> offsets{};
  const uint32_t per_level = total_slots / protocol::slot::PRIORITY_LEVELS;
  const uint32_t remainder = total_slots % protocol::slot::PRIORITY_LEVELS;
  uint32_t cursor = 0;
  for (uint32_t level = 0; level < protocol::slot::PRIORITY_LEVELS; ++level) {
    offsets[level] = cursor;
    cursor += per_level + (level == protocol::slot::PRIORITY_NORMAL ? remainder : 0);
  }
  offsets[protocol::slot::PRIORITY_LEVELS] = cursor;
  return offsets;
}

void write_default_priority_offsets(MutableByteSpan control, uint32_t total_slots) {
  if (control.size() % 4 != 0)
    throw Error::queue_full(
        "control buffer byte length is not 4-byte aligned; rebuild it with Megakernel::encode_control");
  const auto offsets = default_priority_offsets(total_slots);
  for (uint32_t i = 0; i < offsets.size(); ++i) {
    const uint64_t word = ctl::PRIORITY_OFFSETS_BASE + i;
    if ((word + 1) * 4 > control.size())
      throw Error::queue_full(
          "control buffer is too small for priority partition offsets; rebuild it with Megakernel::encode_control");
    write_word(control, word, offsets[i]);
  }
}

void validate_control_bytes(ByteSpan control) {
  const uint64_t min = *control_byte_len(0);
  if (control.size() < min || control.size() % 4 != 0)
    throw Error::backend("megakernel control buffer has " + std::to_string(control.size()) +
                         " bytes, expected at least " + std::to_string(min) +
                             " bytes and 4-byte alignment",
                         "build it with Megakernel::encode_control.");
}

std::optional<uint32_t> ControlView::mask_of(uint32_t tenant, ByteSpan control) const {
  return read_word(control, uint64_t{tenant_base} + tenant);
}

ControlView decode_control(ByteSpan control) {
  validate_control_bytes(control);
  auto w = [&](uint64_t i) { return detail::word_at(control, i); };
  ControlView v;
  v.byte_len = control.size();
  v.shutdown = w(ctl::SHUTDOWN);
  v.done_count = w(ctl::DONE_COUNT);
  v.tenant_base = w(ctl::TENANT_BASE);
  for (uint32_t i = ctl::TENANT_BASE + 1; i < ctl::TENANT_QUOTA_BASE; ++i) v.tenant_masks.push_back(w(i));
  for (uint32_t i = 0; i < v.tenant_quotas.size(); ++i) v.tenant_quotas[i] = w(ctl::TENANT_QUOTA_BASE + i);
  for (uint32_t i = 0; i < v.tenant_fairness.size(); ++i) v.tenant_fairness[i] = w(ctl::TENANT_FAIRNESS_BASE + i);
  for (uint32_t i = 0; i < v.metrics.size(); ++i) v.metrics[i] = w(ctl::METRICS_BASE + i);
  v.epoch = w(ctl::EPOCH);
  for (uint32_t i = 0; i < v.priority_offsets.size(); ++i) v.priority_offsets[i] = w(ctl::PRIORITY_OFFSETS_BASE + i);
  v.priority_starvation = w(ctl::PRIORITY_STARVATION_COUNTER);
  for (uint32_t i = 0; i < v.priority_fairness.size(); ++i)
    v.priority_fairness[i] = w(ctl::PRIORITY_FAIRNESS_BASE + i);
  for (uint32_t i = ctl::PRIORITY_FAIRNESS_BASE + ctl::PRIORITY_FAIRNESS_SLOTS; i < ctl::OBSERVABLE_BASE; ++i)
    if (w(i) != 0) v.reserved_nonzero.emplace_back(i, w(i));
  const size_t words = control.size() / 4;
  v.observables.reserve(words - ctl::OBSERVABLE_BASE);
  for (size_t i = ctl::OBSERVABLE_BASE; i < words; ++i) v.observables.push_back(w(i));
  return v;
}

}  // namespace vyre
