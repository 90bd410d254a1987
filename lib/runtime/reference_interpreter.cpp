// Mirrors kernels/megakernel.cl step by step; see its header comment for the
// semantics and the differences from upstream. Opcodes appear by name in
// both files.
#include "vyre/reference_interpreter.h"

#include <algorithm>
#include <chrono>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/ring.h"

namespace vyre {

namespace {

namespace op = protocol::opcode;
namespace ctl = protocol::control;
namespace st = protocol::slot;
using detail::word_at;
using detail::write_word;

struct Lane {
  MutableByteSpan control, ring, debug_log, io_queue;
  uint64_t control_words, debug_words, io_slots;
  std::array<uint32_t, stats::WORDS>& stats;
  // The pass's DONE_COUNT and METRICS increments, added to the control words
  // when the pass ends (as the kernel's last work-group does).
  uint32_t pending_done = 0;
  std::array<uint32_t, ctl::METRICS_SLOTS> pending_metrics{};

  uint32_t c(uint64_t i) const { return word_at(control, i); }
  void set_c(uint64_t i, uint32_t v) { write_word(control, i, v); }

  bool op_in_bounds(uint32_t opcode, uint32_t a0, uint32_t a1, uint32_t a2) const {
    const uint64_t cw = control_words;
    switch (opcode) {
      case op::STORE_U32:
      case op::ATOMIC_ADD:
        return a1 < cw;
      case op::LOAD_U32:
        return a0 < cw && uint64_t{ctl::OBSERVABLE_BASE} + a1 < cw;
      case op::COMPARE_SWAP:
        return a0 < cw && uint64_t{ctl::OBSERVABLE_BASE} + a0 < cw;
      case op::MEMCPY:
        return uint64_t{a0} + a2 <= cw && uint64_t{a1} + a2 <= cw;
      case op::BATCH_FENCE:
        return ctl::OBSERVABLE_BASE < cw;
      default:
        return true;
    }
  }

  void run_op(uint32_t opcode, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t slot_base) {
    if (opcode < ctl::METRICS_SLOTS) ++pending_metrics[opcode];
    switch (opcode) {
      case op::STORE_U32:
        set_c(a1, a0);
        break;
      case op::ATOMIC_ADD:
        set_c(a1, c(a1) + a0);
        break;
      case op::LOAD_U32:
        set_c(ctl::OBSERVABLE_BASE + uint64_t{a1}, c(a0));
        break;
      case op::COMPARE_SWAP: {
        const uint32_t prev = c(a0);
        if (prev == a1) set_c(a0, a2);
        set_c(ctl::OBSERVABLE_BASE + uint64_t{a0}, prev);
        break;
      }
      case op::MEMCPY:
        for (uint32_t i = 0; i < a2; ++i) set_c(uint64_t{a1} + i, c(uint64_t{a0} + i));
        break;
      case op::BATCH_FENCE:
        set_c(ctl::EPOCH, c(ctl::EPOCH) + 1);
        set_c(ctl::OBSERVABLE_BASE, a1);
        break;
      case op::PRINTF: {
        const uint32_t cursor = word_at(debug_log, protocol::debug::CURSOR_WORD);
        write_word(debug_log, protocol::debug::CURSOR_WORD, cursor + protocol::debug::RECORD_WORDS);
        const uint64_t base = uint64_t{cursor} + protocol::debug::RECORDS_BASE;
        if (base + protocol::debug::RECORD_WORDS <= debug_words) {
          write_word(debug_log, base, a0);
          write_word(debug_log, base + 1, a1);
          write_word(debug_log, base + 2, a2);
          write_word(debug_log, base + 3, slot_base);
        }
        break;
      }
      case op::SHUTDOWN:
        set_c(ctl::SHUTDOWN, 1);
        break;
      default:
        break;  // NOP, DFA_STEP and user opcodes
    }
  }

  static uint32_t packed_byte(const SlotArgs& args, uint32_t i) { return (args[i / 4] >> ((i % 4) * 8)) & 0xFFu; }

  bool run_packed(const SlotArgs& args, uint32_t slot_base) {
    const uint32_t count = std::min(packed_byte(args, 0), op::PACKED_MAX_INNER_OPS);
    const uint32_t meta_words = op::packed_metadata_words(count);
    for (int pass = 0; pass < 2; ++pass) {
      for (uint32_t i = 0; i < count; ++i) {
        const uint32_t opcode = packed_byte(args, op::packed_op_byte(i));
        const uint32_t base = meta_words + packed_byte(args, op::packed_op_byte(i) + 1);
        if (base + op::PACKED_INNER_ARGS > protocol::ARGS_PER_SLOT) continue;
        if (pass == 0) {
          if (!op_in_bounds(opcode, args[base], args[base + 1], args[base + 2])) return false;
        } else {
          run_op(opcode, args[base], args[base + 1], args[base + 2], slot_base);
        }
      }
    }
    return true;
  }

  void set_status(uint64_t slot_word, uint32_t status) { write_word(ring, slot_word, status); }

  void end_pass() {
    set_c(ctl::DONE_COUNT, c(ctl::DONE_COUNT) + pending_done);
    for (uint32_t m = 0; m < ctl::METRICS_SLOTS; ++m)
      set_c(ctl::METRICS_BASE + m, c(ctl::METRICS_BASE + m) + pending_metrics[m]);
  }

  void fault(uint64_t base) {
    set_status(base, st::FAULT);
    ++stats[stats::FAULTS];
  }

  void load_miss_request(uint64_t base, uint32_t resource_id) {
    namespace iw = protocol::io::word;
    for (uint32_t q = 0; q < io_slots; ++q) {
      const uint64_t io = uint64_t{q} * protocol::io::IO_SLOT_WORDS;
      if (word_at(io_queue, io + iw::STATUS) != st::EMPTY) continue;
      write_word(io_queue, io + iw::OP_TYPE, protocol::io::op::READ);
      write_word(io_queue, io + iw::SRC_HANDLE, resource_id);
      write_word(io_queue, io + iw::DST_HANDLE, resource_id);
      write_word(io_queue, io + iw::OFFSET_LO, 0);
      write_word(io_queue, io + iw::OFFSET_HI, 0);
      write_word(io_queue, io + iw::BYTE_COUNT, 0);
      write_word(io_queue, io + iw::TAG, resource_id);
      write_word(io_queue, io + iw::STATUS, st::PUBLISHED);
      write_word(ring, base + protocol::ARG0_WORD + 2, q);
      set_status(base, st::WAIT_IO);
      ++stats[stats::WAITING];
      return;
    }
    set_status(base, st::PUBLISHED);
    ++stats[stats::IO_FULL];
  }

  void load_miss_finish(uint64_t base, const SlotView& s) {
    namespace iw = protocol::io::word;
    const uint32_t q = s.args[2];
    if (s.opcode != op::LOAD_MISS || q >= io_slots) return fault(base);
    const uint64_t io = uint64_t{q} * protocol::io::IO_SLOT_WORDS;
    const uint32_t status = word_at(io_queue, io + iw::STATUS);
    if (status == protocol::io::status::OK) {
      write_word(io_queue, io + iw::STATUS, st::EMPTY);
      ++pending_done;
      set_status(base, st::DONE);
    } else if (status == protocol::io::status::ERROR) {
      write_word(io_queue, io + iw::STATUS, st::EMPTY);
      fault(base);
    } else if (status == st::PUBLISHED || status == st::CLAIMED) {
      ++stats[stats::WAITING];
    } else {
      fault(base);
    }
  }

  void step(uint32_t id) {
    const SlotView s = decode_slot(ring, id);
    const uint64_t base = uint64_t{id} * protocol::SLOT_WORDS;
    if (s.status == st::WAIT_IO) return load_miss_finish(base, s);
    if (s.status != st::PUBLISHED) return;
    const uint64_t mask_index = uint64_t{c(ctl::TENANT_BASE)} + s.tenant;
    if (mask_index >= control_words) return fault(base);
    if (c(mask_index) == 0) return;  // unauthorized: stays PUBLISHED
    set_status(base, st::CLAIMED);
    if (s.opcode == op::LOAD_MISS) return load_miss_request(base, s.args[0]);
    const uint32_t slot_base = id * protocol::SLOT_WORDS;
    if (s.opcode == op::PACKED_SLOT) {
      if (!run_packed(s.args, slot_base)) return fault(base);
    } else {
      if (!op_in_bounds(s.opcode, s.args[0], s.args[1], s.args[2])) return fault(base);
      run_op(s.opcode, s.args[0], s.args[1], s.args[2], slot_base);
    }
    ++pending_done;
    set_status(base, st::DONE);
  }
};

}  // namespace

void reference_pass(DispatchBuffers& b, std::array<uint32_t, stats::WORDS>& stats, uint32_t workgroup_size,
                    std::stop_token cancel) {
  Lane lane{b.control, b.ring, b.debug_log, b.io_queue, b.control.size() / 4, b.debug_log.size() / 4,
            b.io_queue.size() / protocol::io::IO_SLOT_BYTES, stats};
  const uint32_t slots = b.slot_count();
  for (uint32_t group = 0; group < slots; group += workgroup_size) {
    if (cancel.stop_requested())
      throw Error::cancelled("the reference dispatch was stopped inside a pass");
    if (lane.c(ctl::SHUTDOWN) != 0) continue;
    const uint32_t end = std::min<uint64_t>(uint64_t{group} + workgroup_size, slots);
    for (uint32_t id = group; id < end; ++id) lane.step(id);
  }
  lane.end_pass();
}

void ReferenceRunner::launch(uint32_t iterations, std::array<uint32_t, stats::WORDS>& stats, DispatchBuffers& buffers,
                             DispatchTimings& timings) {
  const auto t0 = std::chrono::steady_clock::now();
  for (uint32_t it = 0; it < iterations; ++it) reference_pass(buffers, stats, workgroup_size_, cancel_);
  timings.kernel_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace vyre
