// Encodes and decodes a 1,048,576-slot ring in memory and prints the
// throughput of each next to a memcpy of the same bytes measured in the same
// run (these machines are noisy: compare the ratio column).
//
//   bench/ring_codec_perftest [slots] [repetitions]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "vyre/ring_encoder.h"
#include "vyre/slot_publish.h"
#include "vyre/ring.h"

namespace {

using Clock = std::chrono::steady_clock;

// Best-of-N wall time in seconds: the minimum is the least disturbed run.
double best_of(int reps, const std::function<void()>& f) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

volatile uint64_t g_sink;

}  // namespace

int main(int argc, char** argv) {
  const uint32_t slots = argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 1'048'576;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 15;
  const size_t bytes = size_t{slots} * vyre::protocol::SLOT_BYTES;

  vyre::Bytes src(bytes, 1), dst(bytes, 0);
  vyre::Bytes ring = vyre::encode_empty_ring(slots);
  std::vector<vyre::SlotView> view(slots);

  // Touch every page first so no run pays for page faults.
  std::memcpy(dst.data(), src.data(), bytes);

  std::vector<vyre::SlotWrite> writes(slots);
  for (uint32_t s = 0; s < slots; ++s)
    writes[s] = vyre::SlotWrite{s, s & 3, vyre::protocol::opcode::STORE_U32, 3, {s, 160 + (s & 15), 7}};
  vyre::Bytes bulk;
  vyre::encode_ring_into(slots, writes, bulk);  // first call allocates

  // Each repetition runs every operation once, interleaved, so slow phases
  // of a noisy machine hit all of them alike; the best run of each counts.
  struct Op {
    const char* name;
    std::function<void()> f;
    double best = 1e30;
  };
  std::vector<Op> ops = {
      {"memcpy (reference)",
       [&] {
         std::memcpy(dst.data(), src.data(), bytes);
         g_sink = dst[bytes / 2];
       }},
      {"encode: encode_ring_into (bulk)",
       [&] {
         vyre::encode_ring_into(slots, writes, bulk);
         g_sink = bulk[bytes / 2];
       }},
      {"encode: reset + publish_slot x N",
       [&] {
         // Publishing needs EMPTY/DONE slots: reset the status words as a
         // host recycling a drained ring would (an extra pass, included).
         for (uint32_t s = 0; s < slots; ++s) std::memset(ring.data() + size_t{s} * 64, 0, 4);
         for (uint32_t s = 0; s < slots; ++s) {
           const uint32_t args[3] = {s, 160 + (s & 15), 7};
           vyre::publish_slot(ring, s, s & 3, vyre::protocol::opcode::STORE_U32, args);
         }
         g_sink = ring[bytes / 2];
       }},
      {"decode: decode_slot into view",
       [&] {
         vyre::validate_ring_bytes(ring);
         for (uint32_t s = 0; s < slots; ++s) view[s] = vyre::decode_slot(ring, s);
         g_sink = view[slots / 2].args[0];
       }},
      {"decode: decode_ring (allocating)",
       [&] {
         const vyre::RingView v = vyre::decode_ring(ring);
         g_sink = v.slots[slots / 2].args[0];
       }},
      {"count_done_ring_slots", [&] { g_sink = vyre::count_done_ring_slots(ring, slots); }},
  };
  for (int r = 0; r < reps; ++r)
    for (auto& op : ops) op.best = std::min(op.best, best_of(1, op.f));
  if (bulk != ring) {
    std::fprintf(stderr, "bulk encoder and publish_slot disagree\n");
    return 1;
  }
  const double t_memcpy = ops[0].best;
  std::printf("ring codec, %u slots (%.1f MiB), best of %d interleaved runs\n", slots, bytes / 1048576.0, reps);
  std::printf("%-34s %10s %10s %12s\n", "operation", "ms", "GiB/s", "vs memcpy");
  auto row = [&](const char* name, double t) {
    std::printf("%-34s %10.2f %10.2f %11.2fx\n", name, t * 1e3, bytes / t / (1u << 30), t_memcpy / t);
  };
  for (const auto& op : ops) row(op.name, op.best);
  return 0;
}
