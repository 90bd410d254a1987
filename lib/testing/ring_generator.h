// Seeded random rings for the differential and fault tests: every opcode,
// packed slots, several tenants (authorized, unauthorized, and ids whose mask
// word lies outside the control buffer), out-of-range indices, PRINTF
// overflow, LOAD_MISS with known and unknown resources.
//
// Lanes run concurrently on a device, so a ring whose outcome depends on the
// order of its slots cannot be compared with the sequential reference. The
// generator therefore keeps rings race-free where it matters:
// - every word written by STORE_U32, LOAD_U32, COMPARE_SWAP or MEMCPY is
//   written by one slot only and read by no other slot;
// - ATOMIC_ADD targets are their own words (additions commute);
// - at most one BATCH_FENCE per ring (it writes observable 0);
// - no slot writes SHUTDOWN, DONE_COUNT, the tenant table, METRICS or EPOCH
//   (slots do read DONE_COUNT and METRICS: every backend gives a slot the
//   value its pass started with);
// - at most as many LOAD_MISS slots as IO slots, so none waits for a free
//   IO slot.
// What stays order-dependent is compared order-independently by the test:
// the order of PRINTF records (and which ones fit an overflowing log), and
// which IO slot each LOAD_MISS lane takes.
#pragma once

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "vyre/packed_slot.h"
#include "vyre/slot_publish.h"
#include "vyre/control.h"
#include "vyre/debug_log.h"
#include "vyre/dispatch.h"
#include "vyre/io_queue.h"
#include "vyre/ring.h"

namespace vyre::testing {

struct GeneratedRing {
  DispatchBuffers buffers;
  ResourceMap resources;
  uint32_t expected_printfs = 0;
};

// A file in the temporary directory holding `bytes`, for the known
// resource of LOAD_MISS slots; each test names its own, as tests run
// concurrently.
inline std::string resource_file(const std::string& name, const std::string& bytes) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

class RingGenerator {
 public:
  RingGenerator(uint32_t seed, std::string existing_file) : rng_(seed), file_(std::move(existing_file)) {}

  // `slot_count`: a ring of that size instead of a random small one (most
  // of a large ring's slots then do what needs no word of their own);
  // without `load_misses`, a ring that drains in one launch.
  GeneratedRing next(std::optional<uint32_t> slot_count = std::nullopt, bool load_misses = true) {
    GeneratedRing g;
    const uint32_t slots = slot_count ? *slot_count : pick({1, 2, 5, 17, 64, 100, 257, 600});
    const uint32_t observables = pick({0, 1, 8, 40, 100});
    const uint32_t tenants = 1 + r() % 4;
    cw_ = 160 + observables;
    g.buffers.control = encode_control(false, tenants, observables);
    g.buffers.ring = encode_empty_ring(slots);
    g.buffers.debug_log = encode_empty_debug_log(pick({0, 1, 3, 16, 64}));
    io_slots_ = 1 + r() % 8;
    g.buffers.io_queue = encode_empty_io_queue(io_slots_);
    used_.assign(cw_ + 64, false);
    // Words no slot may write: the protocol words and the mask table.
    for (uint32_t w = 0; w < 32; ++w) used_[w] = true;
    for (uint32_t w = 96; w <= 128; ++w) used_[w] = true;
    atomic_words_.clear();
    for (int i = 0; i < 3; ++i)
      if (auto w = take_word()) atomic_words_.push_back(*w);
    read_words_.clear();
    for (int i = 0; i < 6; ++i)
      if (auto w = take_word()) read_words_.push_back(*w);
    // The counters the pass updates: read, never written, by slots.
    read_words_.push_back(protocol::control::DONE_COUNT);
    read_words_.push_back(protocol::control::METRICS_BASE + r() % protocol::control::METRICS_SLOTS);
    fence_used_ = false;
    load_misses_ = 0;
    with_load_misses_ = load_misses;
    for (uint32_t id = 0; id < 4; ++id) g.resources[100 + id] = file_;  // ids 104.. are unknown
    for (uint32_t s = 0; s < slots; ++s) {
      if (r() % 5 == 0) continue;  // leave some EMPTY
      publish_random(g, s, tenants);
    }
    return g;
  }

 private:
  uint32_t r() { return static_cast<uint32_t>(rng_()); }
  uint32_t pick(std::initializer_list<uint32_t> v) { return *(v.begin() + r() % v.size()); }

  std::optional<uint32_t> take_word() {
    for (int tries = 0; tries < 16; ++tries) {
      const uint32_t w = 32 + r() % (cw_ - 32);
      if (!used_[w]) {
        used_[w] = true;
        return w;
      }
    }
    return std::nullopt;
  }
  // A run of n free words, all marked used.
  std::optional<uint32_t> take_run(uint32_t n) {
    for (int tries = 0; tries < 16; ++tries) {
      const uint32_t start = 32 + r() % (cw_ - 32);
      if (start + n > cw_) continue;
      bool free = true;
      for (uint32_t k = 0; k < n; ++k) free = free && !used_[start + k];
      if (!free) continue;
      for (uint32_t k = 0; k < n; ++k) used_[start + k] = true;
      return start;
    }
    return std::nullopt;
  }
  // Half the time exactly one past the end: the boundary a wrong comparison misses.
  uint32_t out_of_range() {
    if (r() % 2) return cw_;
    return cw_ + r() % 1000 + (r() % 4 == 0 ? 0x7FFFFFFFu : 0u);
  }

  // One op (opcode, a0, a1, a2) honouring the race rules; nullopt when no
  // word is left for it.
  std::optional<std::array<uint32_t, 4>> random_op(bool allow_fence, bool& used_fence, bool& printf_op) {
    const uint32_t kind = r() % 12;
    const bool fault = r() % 10 == 0;
    printf_op = false;
    switch (kind) {
      case 0: return std::array<uint32_t, 4>{protocol::opcode::NOP, r(), r(), r()};
      case 1: {
        if (fault) return std::array<uint32_t, 4>{protocol::opcode::STORE_U32, r(), out_of_range(), 0};
        auto w = take_word();
        if (!w) return std::nullopt;
        return std::array<uint32_t, 4>{protocol::opcode::STORE_U32, r(), *w, r()};
      }
      case 2: {
        if (fault || atomic_words_.empty()) return std::array<uint32_t, 4>{protocol::opcode::ATOMIC_ADD, 1, out_of_range(), 0};
        return std::array<uint32_t, 4>{protocol::opcode::ATOMIC_ADD, r() % 1000, atomic_words_[r() % atomic_words_.size()], 0};
      }
      case 3: {  // LOAD_U32: C[160 + a1] = C[a0]
        if (fault || read_words_.empty()) return std::array<uint32_t, 4>{protocol::opcode::LOAD_U32, out_of_range(), 0, 0};
        for (int t = 0; t < 8; ++t) {
          const uint32_t dst = 160 + r() % (cw_ - 160 + 1);
          if (dst < cw_ && !used_[dst]) {
            used_[dst] = true;
            return std::array<uint32_t, 4>{protocol::opcode::LOAD_U32, read_words_[r() % read_words_.size()], dst - 160, 0};
          }
        }
        return std::array<uint32_t, 4>{protocol::opcode::LOAD_U32, 0, cw_, 0};  // destination out of range
      }
      case 4: {  // COMPARE_SWAP: prev = CAS(C[a0], a1, a2); C[160 + a0] = prev
        for (int t = 0; t < 8 && !fault; ++t) {
          const uint32_t a0 = 32 + r() % (cw_ - 32);
          if (a0 + 160 < cw_ && !used_[a0] && !used_[a0 + 160]) {
            used_[a0] = used_[a0 + 160] = true;
            const uint32_t expected = r() % 2 ? 0 : r();  // control words start at 0 or 1000000
            return std::array<uint32_t, 4>{protocol::opcode::COMPARE_SWAP, a0, expected, r()};
          }
        }
        return std::array<uint32_t, 4>{protocol::opcode::COMPARE_SWAP, cw_ - 150 + r() % 10, 0, 1};
      }
      case 5: {  // MEMCPY: C[a1 + i] = C[a0 + i] for i < a2
        const uint32_t n = r() % 4;
        if (fault) return r() % 2 ? std::array<uint32_t, 4>{protocol::opcode::MEMCPY, cw_ - 1, 0, 2}
                                  : std::array<uint32_t, 4>{protocol::opcode::MEMCPY, 32, cw_ - 1, 2};
        auto dst = take_run(n);
        if (!dst || read_words_.empty()) return std::nullopt;
        // Sources: a run starting at a read-only word; other read words may
        // follow it, so only n <= 1 is safe against writes into the source.
        const uint32_t src = read_words_[r() % read_words_.size()];
        return std::array<uint32_t, 4>{protocol::opcode::MEMCPY, src, *dst, std::min<uint32_t>(n, 1)};
      }
      case 6: return std::array<uint32_t, 4>{protocol::opcode::DFA_STEP, r(), r(), r()};
      case 7: {
        if (!allow_fence || used_fence || cw_ <= 160) return std::array<uint32_t, 4>{protocol::opcode::NOP, 0, 0, 0};
        if (used_[160]) return std::array<uint32_t, 4>{protocol::opcode::NOP, 0, 0, 0};
        used_[160] = true;
        used_fence = true;
        return std::array<uint32_t, 4>{protocol::opcode::BATCH_FENCE, r(), r(), r()};
      }
      case 8:
        printf_op = true;
        return std::array<uint32_t, 4>{protocol::opcode::PRINTF, r() % 16, r(), r()};
      default: return std::array<uint32_t, 4>{8 + r() % 300, r(), r(), r()};  // user opcodes
    }
  }

  void publish_random(GeneratedRing& g, uint32_t s, uint32_t tenants) {
    uint32_t tenant = r() % (tenants + 2);  // tenants .. tenants+1 are unauthorized
    if (r() % 25 == 0) tenant = 0xFFFFFF00u + r() % 256;  // mask word far outside the control buffer
    if (r() % 25 == 0) tenant = cw_ - (protocol::control::TENANT_BASE + 1) + r() % 2;  // mask word just past the end
    const uint32_t form = r() % 10;
    if (form == 0 && load_misses_ < io_slots_ && with_load_misses_) {
      ++load_misses_;
      const Bytes slot = encode_load_miss(100 + r() % 6, r() % 2);
      std::copy(slot.begin(), slot.end(), g.buffers.ring.begin() + uint64_t{s} * 64);
      return;
    }
    if (form == 1) {
      std::vector<PackedOp> ops;
      const uint32_t n = r() % 5;
      bool fence = fence_used_, is_printf = false;
      uint32_t words = (2 + 2 * n + 3) / 4;
      for (uint32_t i = 0; i < n; ++i) {
        auto o = random_op(false, fence, is_printf);
        if (!o || (*o)[0] > 0xFF) o = std::array<uint32_t, 4>{protocol::opcode::NOP, 0, 0, 0};
        const uint32_t argc = std::min<uint32_t>(3, 12 - words);
        words += argc;
        ops.push_back({static_cast<uint8_t>((*o)[0]), std::vector<uint32_t>(o->begin() + 1, o->begin() + 1 + argc)});
      }
      publish_packed_slot(g.buffers.ring, s, tenant, ops);
      return;
    }
    bool is_printf = false;
    auto o = random_op(true, fence_used_, is_printf);
    if (!o) o = std::array<uint32_t, 4>{protocol::opcode::NOP, 0, 0, 0};
    const uint32_t args[3] = {(*o)[1], (*o)[2], (*o)[3]};
    publish_slot(g.buffers.ring, s, tenant, (*o)[0], args);
  }

  std::mt19937 rng_;
  std::string file_;
  uint32_t cw_ = 160, io_slots_ = 1, load_misses_ = 0;
  std::vector<bool> used_;
  std::vector<uint32_t> atomic_words_, read_words_;
  bool fence_used_ = false, with_load_misses_ = true;
};

}  // namespace vyre::testing
