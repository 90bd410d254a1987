// The megakernel against adversarial rings: random words in every slot field
// (status, opcode, tenant, args), huge tenant ids, random mask-table bases,
// MEMCPY ranges past the end, packed offsets past the slot, random IO queue
// states. Every buffer sits between guard bytes (OpenClOptions::guard_bytes):
// nothing outside the buffers may change, and the fault count must equal
// the slots that became FAULT. On PoCL on CI; no device fails this test.
#include <doctest/doctest.h>

#include <random>

#include "vyre/slot_publish.h"
#include "vyre/debug_log.h"
#include "vyre/detail/words.h"
#include "vyre/io_queue.h"
#include "vyre/error.h"
#include "vyre/opencl_dispatch.h"
#include "vyre/reference_interpreter.h"
#include "vyre/ring.h"

using namespace vyre;

namespace {

uint32_t pick_opcode(std::mt19937& rng) {
  static const uint32_t named[] = {0, 1, 2, 3, 4, 5, 6, 7, protocol::opcode::LOAD_MISS, protocol::opcode::PRINTF,
                                   protocol::opcode::PACKED_SLOT, protocol::opcode::SHUTDOWN};
  return rng() % 4 == 0 ? static_cast<uint32_t>(rng()) : named[rng() % std::size(named)];
}

uint32_t wild(std::mt19937& rng, uint32_t control_words) {
  switch (rng() % 5) {
    case 0: return static_cast<uint32_t>(rng());                      // anywhere
    case 1: return control_words - 1 + rng() % 3;                    // at the end
    case 2: return 0xFFFFFFFFu - rng() % 4;                          // wraps in 32 bits
    case 3: return rng() % 4;                                         // small
    default: return rng() % (control_words + 64);                    // near the buffer
  }
}

DispatchBuffers adversarial(std::mt19937& rng) {
  const uint32_t slots = 1 + rng() % 300;
  const uint32_t observables = rng() % 3 == 0 ? 0 : rng() % 64;
  DispatchBuffers b;
  b.control = encode_control(false, 1 + rng() % 40, observables);
  const uint32_t cw = static_cast<uint32_t>(b.control.size() / 4);
  if (rng() % 4 == 0) detail::write_word(b.control, protocol::control::TENANT_BASE, wild(rng, cw));
  b.ring = encode_empty_ring(slots);
  for (uint32_t s = 0; s < slots; ++s) {
    const uint64_t w = uint64_t{s} * 16;
    const uint32_t status = rng() % 8 == 0 ? static_cast<uint32_t>(rng() % 10) : protocol::slot::PUBLISHED;
    detail::write_word(b.ring, w + 1, pick_opcode(rng));
    detail::write_word(b.ring, w + 2, rng() % 6 == 0 ? static_cast<uint32_t>(rng()) : rng() % 4);
    detail::write_word(b.ring, w + 3, static_cast<uint32_t>(rng()));
    for (uint32_t a = 0; a < 12; ++a)
      detail::write_word(b.ring, w + 4 + a, rng() % 2 ? wild(rng, cw) : static_cast<uint32_t>(rng()));
    detail::write_word(b.ring, w, status);
  }
  b.debug_log = encode_empty_debug_log(rng() % 8);
  if (rng() % 4 == 0) detail::write_word(b.debug_log, 0, static_cast<uint32_t>(rng()));  // a wild cursor
  b.io_queue = encode_empty_io_queue(1 + rng() % 64);
  for (size_t q = 0; q < b.io_queue.size() / 32; ++q)
    if (rng() % 3 == 0) detail::write_word(b.io_queue, q * 8 + 6, rng() % 0x12);
  return b;
}

uint64_t count_faults(const Bytes& ring) {
  uint64_t n = 0;
  for (size_t s = 0; s < ring.size() / 64; ++s) n += detail::word_at(ring, s * 16) == protocol::slot::FAULT;
  return n;
}

}  // namespace

TEST_CASE("adversarial rings never touch memory outside the buffers, and every FAULT is counted") {
  OpenClOptions guarded;
  guarded.workgroup_size = 64;
  guarded.guard_bytes = 256;
  OpenClRunner device(guarded);
  std::mt19937 rng(20261122);
  uint64_t faults = 0;
  for (int i = 0; i < 2000; ++i) {
    CAPTURE(i);
    DispatchBuffers b = adversarial(rng);
    const uint64_t faults_before = count_faults(b.ring);
    DispatchOptions options;
    if (i % 5 == 0) {
      options.mode = DispatchMode::Persistent;
      options.max_iterations = 1 + rng() % 3;
    }
    DispatchResult r;
    REQUIRE_NOTHROW(r = run_dispatch(device, CheckedBuffers(b), options));  // throws when a guard byte changed
    REQUIRE(r.buffers.control.size() == b.control.size());
    REQUIRE(r.faults == count_faults(r.buffers.ring) - faults_before);
    // The reference interpreter survives the same ring (no out-of-bounds access
    // under the sanitizer build) and counts faults the same way.
    DispatchBuffers ref = b;
    std::array<uint32_t, stats::WORDS> st{};
    reference_pass(ref, st, 64);
    REQUIRE(st[stats::FAULTS] == count_faults(ref.ring) - faults_before);
    faults += r.faults;
  }
  MESSAGE(faults << " FAULT slots in 2000 adversarial rings");
  CHECK(faults > 10000);
}
