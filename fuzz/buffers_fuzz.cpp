// Every buffer decoder and the views inspect prints: control, ring, debug
// log (strict and lenient), IO queue (poll, claim, complete), replay log,
// LOAD_MISS and DONE counting, and the upstream readers.
#include "fuzz_common.h"
#include "vyre/slot_publish.h"
#include "vyre/error.h"
#include "vyre/io_queue.h"
#include "vyre/slot_counts.h"
#include "vyre/slot_map.h"
#include "vyre/views.h"

namespace {
template <typename F>
void guarded(F&& f) {
  try {
    f();
  } catch (const vyre::Error&) {
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vyre;
  const ByteSpan in = fuzz::bytes(data, size);
  const uint32_t word = size >= 4 ? uint32_t(data[0]) | uint32_t(data[1]) << 8 | uint32_t(data[2]) << 16 | uint32_t(data[3]) << 24 : 0;
  guarded([&] { (void)control_text(decode_control(in)); (void)control_json(decode_control(in)).dump(); });
  guarded([&] {
    Selection all;
    all.all = true;
    const auto slots = select_ring_slots(in, all, true);
    (void)ring_text(in, slots);
    (void)ring_json(in, slots).dump();
    (void)ring_json_lines(in, slots);
    (void)slot_counts_text(count_ring_slots(in, slots));
  });
  guarded([&] { (void)read_debug_log(in); });
  guarded([&] { const auto v = decode_debug_log(in); (void)debug_log_text(v, nullptr); (void)debug_log_json(v, nullptr).dump(); });
  guarded([&] {
    const auto v = decode_io_queue(in);
    Selection all;
    all.all = true;
    const auto slots = select_io_slots(in, all, true);
    (void)io_queue_text(v, slots);
    (void)io_queue_json(v, slots).dump();
    (void)slot_counts_json(count_io_slots(in, slots)).dump();
  });
  guarded([&] { (void)candidate_kinds(in); (void)slot_map_svg(BufferKind::Ring, in, "fuzz"); });
  guarded([&] {
    Bytes q(in.begin(), in.end());
    const auto claimed = claim_io_requests(q);
    std::vector<std::pair<uint32_t, bool>> done;
    for (const auto& r : claimed) done.emplace_back(r.slot_idx, r.tag % 2 == 0);
    done.emplace_back(word, true);  // possibly out of range
    complete_io_requests_batch(q, done);
  });
  guarded([&] { const auto log = ReplayLog::parse(in); (void)replay_text(log); (void)replay_json(log).dump(); });
  guarded([&] { (void)read_done_count(in); (void)read_epoch(in); (void)read_metrics(in); (void)read_observable(in, word); });
  (void)read_metrics_lenient(in);
  (void)read_observable_or_zero(in, word);
  (void)decode_load_miss(in, word);
  (void)count_done_ring_slots_lenient(in, word);
  guarded([&] { (void)count_done_ring_slots(in, word); });
  return 0;
}
