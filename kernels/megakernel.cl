// The vyre megakernel, OpenCL C 1.2 (runs on NVIDIA's driver and on PoCL).
//
// Lane `id = group_id * workgroup_size + local_id` owns ring slot `id` and,
// once per iteration, drains it (PROTOCOL.md "Kernel lane semantics"). The
// reference interpreter (lib/runtime/reference_interpreter.cpp) implements the
// same steps on the CPU; each opcode is found by its name in both files.
//
// Differences from upstream, all documented in man/vyre-dispatch.1:
// - Every index is bound-checked. A slot whose op would touch a word outside
//   its buffer (tenant mask table, control words, MEMCPY ranges,
//   observables) is marked FAULT, touches nothing, and is counted in
//   stats[VYRE_STAT_FAULTS].
// - LOAD_MISS does not spin: the lane reserves an EMPTY IO slot, writes the
//   READ request as upstream does (src = dst = tag = resource id), records
//   the IO slot in the ring slot's arg2 and leaves the slot WAIT_IO. The host
//   pump services the request between launches; the next pass finishes the
//   slot (DONE on OK, FAULT on ERROR) and frees the IO slot.
// - SHUTDOWN is read once per work-group per iteration (so the group's
//   barriers stay uniform) instead of once per lane.
// - DONE_COUNT and METRICS are summed in local memory and committed once per
//   work-group per iteration; the final words equal per-slot updates.
//
// Protocol constants arrive as -D options generated from protocol.h and
// opcodes.def (VYRE_OP_<NAME> for every opcode).

typedef struct {
  __global uint* control;
  uint control_words;
  __global uint* debug_log;
  uint debug_words;
  __global uint* io_queue;
  uint io_slots;
  __local uint* metrics;  // VYRE_METRICS_SLOTS rows of SPREAD sub-counters, see COUNTER()
  uint spread;           // this lane's sub-counter: local id % SPREAD
} Buffers;

// Local counters are spread over SPREAD sub-counters (the lane's local id
// modulo SPREAD) so the lanes of one hardware warp never increment the same
// word: a single counter per group serializes every lane of the group. Rows
// are SPREAD + 1 words apart, so a row's sub-counters and the rows' k-th
// sub-counters both fall in distinct memory banks.
#define SPREAD 32u
#define ROW (SPREAD + 1u)

// Whether op (opcode, a0, a1, a2) stays inside the control buffer.
inline bool op_in_bounds(const Buffers* b, uint opcode, uint a0, uint a1, uint a2) {
  const ulong cw = b->control_words;
  switch (opcode) {
    case VYRE_OP_STORE_U32:
    case VYRE_OP_ATOMIC_ADD:
      return (ulong)a1 < cw;
    case VYRE_OP_LOAD_U32:
      return (ulong)a0 < cw && (ulong)VYRE_OBS + a1 < cw;
    case VYRE_OP_COMPARE_SWAP:
      return (ulong)a0 < cw && (ulong)VYRE_OBS + a0 < cw;
    case VYRE_OP_MEMCPY:
      return (ulong)a0 + a2 <= cw && (ulong)a1 + a2 <= cw;
    case VYRE_OP_BATCH_FENCE:
      return (ulong)VYRE_OBS < cw;
    default:
      return true;  // NOP, DFA_STEP, PRINTF, SHUTDOWN and user opcodes touch no indexed word
  }
}

// Runs one validated op. slot_base = slot * SLOT_WORDS, as PRINTF records it.
inline void run_op(const Buffers* b, uint opcode, uint a0, uint a1, uint a2, uint slot_base) {
  __global uint* c = b->control;
  if (opcode < VYRE_METRICS_SLOTS) atomic_inc(&b->metrics[opcode * ROW + b->spread]);
  switch (opcode) {
    case VYRE_OP_STORE_U32:
      c[a1] = a0;
      break;
    case VYRE_OP_ATOMIC_ADD:
      atomic_add(&c[a1], a0);
      break;
    case VYRE_OP_LOAD_U32:
      c[VYRE_OBS + a1] = c[a0];
      break;
    case VYRE_OP_COMPARE_SWAP:
      c[VYRE_OBS + a0] = atomic_cmpxchg(&c[a0], a1, a2);
      break;
    case VYRE_OP_MEMCPY:
      for (uint i = 0; i < a2; ++i) c[a1 + i] = c[a0 + i];
      break;
    case VYRE_OP_BATCH_FENCE:
      atomic_inc(&c[VYRE_CTL_EPOCH]);
      c[VYRE_OBS] = a1;
      break;
    case VYRE_OP_PRINTF: {
      // The cursor advances even when the record does not fit, so the host
      // can count the dropped records.
      const ulong base = (ulong)atomic_add(&b->debug_log[VYRE_DEBUG_CURSOR_WORD], VYRE_DEBUG_RECORD_WORDS) +
                         VYRE_DEBUG_RECORDS_BASE;
      if (base + VYRE_DEBUG_RECORD_WORDS <= b->debug_words) {
        b->debug_log[base] = a0;
        b->debug_log[base + 1] = a1;
        b->debug_log[base + 2] = a2;
        b->debug_log[base + 3] = slot_base;
      }
      break;
    }
    case VYRE_OP_SHUTDOWN:
      atomic_xchg(&c[VYRE_CTL_SHUTDOWN], 1u);
      break;
    default:
      break;  // NOP, DFA_STEP (no body upstream either) and user opcodes
  }
}

inline uint packed_byte(const uint* args, uint byte_index) {
  return (args[byte_index / 4] >> ((byte_index % 4) * 8)) & 0xFFu;
}

// The packed metadata layout (protocol.h): a count byte and an arg-words
// byte, then an opcode byte and an argument-offset byte per inner op.
inline uint packed_metadata_words(uint op_count) {
  return (VYRE_PACKED_HEADER_BYTES + VYRE_PACKED_OP_BYTES * op_count + 3) / 4;
}
inline uint packed_op_byte(uint i) { return VYRE_PACKED_HEADER_BYTES + VYRE_PACKED_OP_BYTES * i; }

// PACKED_SLOT: up to 4 inner ops; op i reads args[meta_words + offset + 0..2]
// and runs only if those words lie inside the 12 argument words. All inner
// ops are bound-checked before any runs, so a faulting slot touches nothing.
inline bool run_packed(const Buffers* b, const uint* args, uint slot_base) {
  const uint count = min(packed_byte(args, 0), (uint)VYRE_PACKED_MAX_INNER_OPS);
  const uint meta_words = packed_metadata_words(count);
  for (uint pass = 0; pass < 2; ++pass) {
    for (uint i = 0; i < count; ++i) {
      const uint opcode = packed_byte(args, packed_op_byte(i));
      const uint base = meta_words + packed_byte(args, packed_op_byte(i) + 1);
      if (base + VYRE_PACKED_INNER_ARGS > VYRE_ARGS_PER_SLOT) continue;
      if (pass == 0) {
        if (!op_in_bounds(b, opcode, args[base], args[base + 1], args[base + 2])) return false;
      } else {
        run_op(b, opcode, args[base], args[base + 1], args[base + 2], slot_base);
      }
    }
  }
  return true;
}

// DONE, FAULT, WAITING and IO_FULL counts of the group, spread like METRICS.
#define C_DONE 0u
#define C_FAULTS 1u
#define C_WAITING 2u
#define C_IO_FULL 3u
#define C_COUNT 4u

typedef struct {
  __local uint* base;  // C_COUNT rows of ROW words
  uint spread;
} Counters;

inline void count(const Counters* n, uint which) { atomic_inc(&n->base[which * ROW + n->spread]); }

inline void fault(__global uint* slot, const Counters* n) {
  slot[VYRE_STATUS_WORD] = VYRE_SLOT_FAULT;
  count(n, C_FAULTS);
}

// LOAD_MISS after the claim: reserve an EMPTY IO slot (compare-and-swap, so
// two lanes never take the same one), write the READ request, publish it.
inline void load_miss_request(const Buffers* b, __global uint* slot, uint resource_id, const Counters* n) {
  for (uint q = 0; q < b->io_slots; ++q) {
    __global uint* io = b->io_queue + (ulong)q * VYRE_IO_SLOT_WORDS;
    if (atomic_cmpxchg(&io[VYRE_IO_STATUS], VYRE_SLOT_EMPTY, VYRE_SLOT_WAIT_IO) != VYRE_SLOT_EMPTY) continue;
    io[VYRE_IO_OP_TYPE] = VYRE_IO_OP_READ;
    io[VYRE_IO_SRC_HANDLE] = resource_id;
    io[VYRE_IO_DST_HANDLE] = resource_id;
    io[VYRE_IO_OFFSET_LO] = 0;
    io[VYRE_IO_OFFSET_HI] = 0;
    io[VYRE_IO_BYTE_COUNT] = 0;
    io[VYRE_IO_TAG] = resource_id;
    mem_fence(CLK_GLOBAL_MEM_FENCE);
    io[VYRE_IO_STATUS] = VYRE_SLOT_PUBLISHED;
    slot[VYRE_ARG0_WORD + 2] = q;
    mem_fence(CLK_GLOBAL_MEM_FENCE);
    slot[VYRE_STATUS_WORD] = VYRE_SLOT_WAIT_IO;
    count(n, C_WAITING);
    return;
  }
  slot[VYRE_STATUS_WORD] = VYRE_SLOT_PUBLISHED;  // queue full: retried next pass
  count(n, C_IO_FULL);
}

// A WAIT_IO slot: finish it once the host completed its request.
inline void load_miss_finish(const Buffers* b, __global uint* slot, uint opcode, uint q, const Counters* n) {
  if (opcode != VYRE_OP_LOAD_MISS || q >= b->io_slots) {
    fault(slot, n);
    return;
  }
  __global uint* io = b->io_queue + (ulong)q * VYRE_IO_SLOT_WORDS;
  const uint status = io[VYRE_IO_STATUS];
  if (status == VYRE_IO_STATUS_OK) {
    io[VYRE_IO_STATUS] = VYRE_SLOT_EMPTY;
    count(n, C_DONE);
    slot[VYRE_STATUS_WORD] = VYRE_SLOT_DONE;
  } else if (status == VYRE_IO_STATUS_ERROR) {
    io[VYRE_IO_STATUS] = VYRE_SLOT_EMPTY;
    fault(slot, n);
  } else if (status == VYRE_SLOT_PUBLISHED || status == VYRE_SLOT_CLAIMED) {
    count(n, C_WAITING);  // the host has not completed it yet
  } else {
    fault(slot, n);  // nobody will ever complete it
  }
}

// Registers decide occupancy, and occupancy hides the latency of the lane's
// dependent loads and atomics: so the lane reads the 16-byte slot header
// first and the argument words only on the path that needs them.
inline void lane_step(const Buffers* b, __global uint* ring, uint id, const Counters* n) {
  __global uint* slot = ring + (ulong)id * VYRE_SLOT_WORDS;
  const uint4 h = vload4(0, slot);  // status, opcode, tenant, priority
  if (h.s0 == VYRE_SLOT_WAIT_IO) {
    load_miss_finish(b, slot, h.s1, slot[VYRE_ARG0_WORD + 2], n);
    return;
  }
  if (h.s0 != VYRE_SLOT_PUBLISHED) return;
  const ulong mask_index = (ulong)b->control[VYRE_CTL_TENANT_BASE] + h.s2;
  if (mask_index >= b->control_words) {
    if (atomic_cmpxchg(&slot[VYRE_STATUS_WORD], VYRE_SLOT_PUBLISHED, VYRE_SLOT_CLAIMED) == VYRE_SLOT_PUBLISHED) fault(slot, n);
    return;
  }
  if (b->control[mask_index] == 0) return;  // unauthorized: stays PUBLISHED
  if (atomic_cmpxchg(&slot[VYRE_STATUS_WORD], VYRE_SLOT_PUBLISHED, VYRE_SLOT_CLAIMED) != VYRE_SLOT_PUBLISHED) return;
  const uint opcode = h.s1;
  const uint slot_base = id * VYRE_SLOT_WORDS;
  if (opcode == VYRE_OP_PACKED_SLOT) {
    uint args[VYRE_ARGS_PER_SLOT];
    for (uint i = 0; i < VYRE_ARGS_PER_SLOT; ++i) args[i] = slot[VYRE_ARG0_WORD + i];
    if (!run_packed(b, args, slot_base)) {
      fault(slot, n);
      return;
    }
  } else {
    const uint4 a = vload4(1, slot);  // arg0..arg3
    if (opcode == VYRE_OP_LOAD_MISS) {
      load_miss_request(b, slot, a.s0, n);
      return;
    }
    if (!op_in_bounds(b, opcode, a.s0, a.s1, a.s2)) {
      fault(slot, n);
      return;
    }
    run_op(b, opcode, a.s0, a.s1, a.s2, slot_base);
  }
  count(n, C_DONE);
  mem_fence(CLK_GLOBAL_MEM_FENCE);
  slot[VYRE_STATUS_WORD] = VYRE_SLOT_DONE;
}

// The sum of one row of sub-counters.
inline uint row_sum(__local const uint* row) {
  uint sum = 0;
  for (uint k = 0; k < SPREAD; ++k) sum += row[k];
  return sum;
}

__kernel void vyre_megakernel(__global uint* control, uint control_words, __global uint* ring, uint slot_count,
                              __global uint* debug_log, uint debug_words, __global uint* io_queue, uint io_slots,
                              __global uint* stats, uint iterations) {
  __local uint l_metrics[VYRE_METRICS_SLOTS * ROW];
  __local uint l_counts[C_COUNT * ROW];
  __local uint l_shutdown;
  const uint lid = get_local_id(0);
  const uint lsize = get_local_size(0);
  const uint id = get_global_id(0);
  Buffers b = {control, control_words, debug_log, debug_words, io_queue, io_slots, l_metrics, lid % SPREAD};
  Counters n = {l_counts, lid % SPREAD};
  for (uint it = 0; it < iterations; ++it) {
    for (uint i = lid; i < VYRE_METRICS_SLOTS * ROW; i += lsize) l_metrics[i] = 0;
    for (uint i = lid; i < C_COUNT * ROW; i += lsize) l_counts[i] = 0;
    if (lid == 0) l_shutdown = control[VYRE_CTL_SHUTDOWN];
    barrier(CLK_LOCAL_MEM_FENCE);
    if (l_shutdown != 0) break;  // the same value for the whole group
    if (id < slot_count) lane_step(&b, ring, id, &n);
    barrier(CLK_LOCAL_MEM_FENCE);
    // One global atomic per non-zero counter and group.
    for (uint i = lid; i < VYRE_METRICS_SLOTS + C_COUNT; i += lsize) {
      if (i < VYRE_METRICS_SLOTS) {
        const uint sum = row_sum(l_metrics + i * ROW);
        if (sum != 0) atomic_add(&control[VYRE_CTL_METRICS_BASE + i], sum);
      } else {
        const uint which = i - VYRE_METRICS_SLOTS;
        const uint sum = row_sum(l_counts + which * ROW);
        if (sum == 0) continue;
        if (which == C_DONE) atomic_add(&control[VYRE_CTL_DONE_COUNT], sum);
        else if (which == C_FAULTS) atomic_add(&stats[VYRE_STAT_FAULTS], sum);
        else if (which == C_WAITING) atomic_add(&stats[VYRE_STAT_WAITING], sum);
        else atomic_add(&stats[VYRE_STAT_IO_FULL], sum);
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
  }
}
