// The vyre megakernel, OpenCL C 1.2 (runs on NVIDIA's driver and on PoCL).
//
// One launch of vyre_megakernel is one pass: lane `id = group_id *
// workgroup_size + local_id` drains ring slot `id` once (vyre-protocol(7),
// "Kernel lane semantics"); persistent mode is a pass after a pass. The
// reference interpreter (lib/runtime/reference_interpreter.cpp) implements
// the same steps on the CPU; each opcode is found by its name in both files.
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
// - SHUTDOWN is read once per work-group per pass (so the group's barriers
//   stay uniform) instead of once per lane.
// - DONE_COUNT and METRICS take a pass's increments at the end of the pass:
//   every slot of a pass reads the values the pass started with. Each
//   work-group sums its increments in local memory and adds them to pending
//   words in the stats buffer; the last group to finish adds the pending
//   words to the control buffer. (Upstream updates them per slot, a race.)
// - User opcodes run the bodies of `vyre dispatch --opcodes OPS.cl`
//   (vyre-opcodes(7)); the host appends them, and run_user_op, after this
//   source.
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
  __local uint* metrics;  // VYRE_METRICS_SLOTS rows of SPREAD sub-counters
  uint spread;            // this lane's sub-counter: local id % SPREAD
} Buffers;

// Local counters are spread over SPREAD sub-counters (the lane's local id
// modulo SPREAD) so the lanes of one hardware warp never increment the same
// word: a single counter per group serializes every lane of the group. Rows
// are SPREAD + 1 words apart, so a row's sub-counters and the rows' k-th
// sub-counters both fall in distinct memory banks.
#define SPREAD 32u
#define ROW (SPREAD + 1u)

inline void count_metric(const Buffers* b, uint opcode) {
  if (opcode < VYRE_METRICS_SLOTS) atomic_inc(&b->metrics[opcode * ROW + b->spread]);
}

// The PRINTF record (fmt, a, b, slot_base). The cursor advances even when
// the record does not fit, so the host can count the dropped records.
inline void append_printf(const Buffers* b, uint fmt, uint a, uint c, uint slot_base) {
  const ulong base =
      (ulong)atomic_add(&b->debug_log[VYRE_DEBUG_CURSOR_WORD], VYRE_DEBUG_RECORD_WORDS) + VYRE_DEBUG_RECORDS_BASE;
  if (base + VYRE_DEBUG_RECORD_WORDS <= b->debug_words) {
    b->debug_log[base] = fmt;
    b->debug_log[base + 1] = a;
    b->debug_log[base + 2] = c;
    b->debug_log[base + 3] = slot_base;
  }
}

// ---- user opcodes (vyre-opcodes(7)) ------------------------------------
// What a user body sees: its argument words (the slot's 12, or an inner op's
// 3), tenant and slot, and the control words through checked accessors. The
// first out-of-range access faults the op: it touches nothing, every later
// accessor does nothing (loads read 0), and the slot becomes FAULT.
typedef struct {
  const Buffers* b;
  __global const uint* slot_args;  // a slot's argument words, or 0 for an inner op
  const uint* inner_args;          // an inner op's three argument words
  uint arg_count;
  uint tenant, slot;
  bool faulted;
} vyre_op_ctx;

inline uint vyre_ctx_arg(vyre_op_ctx* c, uint i) {
  if (c->faulted || i >= c->arg_count) {
    c->faulted = true;
    return 0;
  }
  return c->slot_args ? c->slot_args[i] : c->inner_args[i];
}
inline bool vyre_ctx_in(vyre_op_ctx* c, uint idx) {
  if (!c->faulted && idx < c->b->control_words) return true;
  c->faulted = true;
  return false;
}
inline uint vyre_ctx_load(vyre_op_ctx* c, uint idx) { return vyre_ctx_in(c, idx) ? c->b->control[idx] : 0; }
inline void vyre_ctx_store(vyre_op_ctx* c, uint idx, uint v) {
  if (vyre_ctx_in(c, idx)) c->b->control[idx] = v;
}
inline uint vyre_ctx_atomic_add(vyre_op_ctx* c, uint idx, uint v) {
  return vyre_ctx_in(c, idx) ? atomic_add(&c->b->control[idx], v) : 0;
}
inline uint vyre_ctx_cas(vyre_op_ctx* c, uint idx, uint expected, uint v) {
  return vyre_ctx_in(c, idx) ? atomic_cmpxchg(&c->b->control[idx], expected, v) : 0;
}
inline void vyre_ctx_printf(vyre_op_ctx* c, uint fmt, uint a, uint b) {
  if (!c->faulted) append_printf(c->b, fmt, a, b, c->slot * VYRE_SLOT_WORDS);
}

// The accessors of vyre-opcodes(7): a body is a function of vyre_ctx_.
#define vyre_arg(i) vyre_ctx_arg(vyre_ctx_, (uint)(i))
#define vyre_tenant() (vyre_ctx_->tenant)
#define vyre_slot() (vyre_ctx_->slot)
#define vyre_load(idx) vyre_ctx_load(vyre_ctx_, (uint)(idx))
#define vyre_store(idx, v) vyre_ctx_store(vyre_ctx_, (uint)(idx), (uint)(v))
#define vyre_atomic_add(idx, v) vyre_ctx_atomic_add(vyre_ctx_, (uint)(idx), (uint)(v))
#define vyre_cas(idx, expected, v) vyre_ctx_cas(vyre_ctx_, (uint)(idx), (uint)(expected), (uint)(v))
#define vyre_printf(fmt, a, b) vyre_ctx_printf(vyre_ctx_, (uint)(fmt), (uint)(a), (uint)(b))
#define vyre_fault()          \
  do {                        \
    vyre_ctx_->faulted = true; \
    return;                   \
  } while (0)

// Runs the user body of `opcode`, if the user gave one; false otherwise.
// Defined after this source by the host.
bool run_user_op(vyre_op_ctx* ctx, uint opcode);

// Whether a user op ran and did not fault; an op without a body counts as run.
inline bool user_op(const Buffers* b, uint opcode, __global const uint* slot_args, const uint* inner_args,
                    uint arg_count, uint tenant, uint slot) {
  vyre_op_ctx ctx = {b, slot_args, inner_args, arg_count, tenant, slot, false};
  run_user_op(&ctx, opcode);
  if (ctx.faulted) return false;
  count_metric(b, opcode);
  return true;
}

// ---- built-in opcodes ---------------------------------------------------
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

// Runs one validated built-in op. slot_base = slot * SLOT_WORDS, as PRINTF
// records it.
inline void run_op(const Buffers* b, uint opcode, uint a0, uint a1, uint a2, uint slot_base) {
  __global uint* c = b->control;
  count_metric(b, opcode);
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
    case VYRE_OP_PRINTF:
      append_printf(b, a0, a1, a2, slot_base);
      break;
    case VYRE_OP_SHUTDOWN:
      atomic_xchg(&c[VYRE_CTL_SHUTDOWN], 1u);
      break;
    default:
      break;  // NOP, DFA_STEP (no body upstream either)
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

inline bool is_user_opcode(uint opcode) {
  return opcode > VYRE_OP_BATCH_FENCE && opcode != VYRE_OP_PRINTF && opcode != VYRE_OP_LOAD_MISS &&
         opcode != VYRE_OP_PACKED_SLOT && opcode != VYRE_OP_SHUTDOWN;
}

// PACKED_SLOT: up to 4 inner ops; op i reads args[meta_words + offset + 0..2]
// and runs only if those words lie inside the 12 argument words. All
// built-in inner ops are bound-checked before any runs, so a slot whose
// built-in op would fault touches nothing; a user inner op can only fault
// when it runs (the ops before it have run).
inline bool run_packed(const Buffers* b, const uint* args, uint tenant, uint slot) {
  const uint count = min(packed_byte(args, 0), (uint)VYRE_PACKED_MAX_INNER_OPS);
  const uint meta_words = packed_metadata_words(count);
  for (uint pass = 0; pass < 2; ++pass) {
    for (uint i = 0; i < count; ++i) {
      const uint opcode = packed_byte(args, packed_op_byte(i));
      const uint base = meta_words + packed_byte(args, packed_op_byte(i) + 1);
      if (base + VYRE_PACKED_INNER_ARGS > VYRE_ARGS_PER_SLOT) continue;
      const uint inner[VYRE_PACKED_INNER_ARGS] = {args[base], args[base + 1], args[base + 2]};
      if (pass == 0) {
        if (!op_in_bounds(b, opcode, inner[0], inner[1], inner[2])) return false;
      } else if (is_user_opcode(opcode)) {
        if (!user_op(b, opcode, 0, inner, VYRE_PACKED_INNER_ARGS, tenant, slot)) return false;
      } else {
        run_op(b, opcode, inner[0], inner[1], inner[2], slot * VYRE_SLOT_WORDS);
      }
    }
  }
  return true;
}

// ---- the lane -------------------------------------------------------------
// DONE, FAULT, WAITING and IO_FULL counts of the group, spread like METRICS.
#define C_DONE 0u
#define C_FAULTS 1u
#define C_WAITING 2u
#define C_IO_FULL 3u
#define C_COUNT 4u

typedef struct {
  __local uint* base;  // C_COUNT rows of ROW words
  uint spread;
  // Two bytes per slot, what the host reads back instead of the ring:
  // 0xFFFF for a slot the dispatch has not written, else its new status in
  // bits 0..2 and, when its arg2 holds the IO slot q of a LOAD_MISS, bit 15
  // and q in bits 8..13. A lane writes only its own slot's word.
  __global ushort* change;
} Counters;

inline void count(const Counters* n, uint which) { atomic_inc(&n->base[which * ROW + n->spread]); }

// The final status of a slot in this pass, in the ring and in its change word.
inline void set_status(__global uint* slot, const Counters* n, uint status) {
  slot[VYRE_STATUS_WORD] = status;
  *n->change = (ushort)status;
}

// The same for a LOAD_MISS slot whose arg2 holds its IO slot q.
inline void set_io_status(__global uint* slot, const Counters* n, uint status, uint q) {
  slot[VYRE_STATUS_WORD] = status;
  *n->change = (ushort)(0x8000u | (q << 8) | status);
}

inline void fault(__global uint* slot, const Counters* n) {
  set_status(slot, n, VYRE_SLOT_FAULT);
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
    set_io_status(slot, n, VYRE_SLOT_WAIT_IO, q);  // q < 64: the IO queue's poll window
    count(n, C_WAITING);
    return;
  }
  set_status(slot, n, VYRE_SLOT_PUBLISHED);  // queue full: retried next pass
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
    set_io_status(slot, n, VYRE_SLOT_DONE, q);
  } else if (status == VYRE_IO_STATUS_ERROR) {
    io[VYRE_IO_STATUS] = VYRE_SLOT_EMPTY;
    set_io_status(slot, n, VYRE_SLOT_FAULT, q);
    count(n, C_FAULTS);
  } else if (status == VYRE_SLOT_PUBLISHED || status == VYRE_SLOT_CLAIMED) {
    count(n, C_WAITING);  // the host has not completed it yet
  } else {
    set_io_status(slot, n, VYRE_SLOT_FAULT, q);  // nobody will ever complete it
    count(n, C_FAULTS);
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
    if (atomic_cmpxchg(&slot[VYRE_STATUS_WORD], VYRE_SLOT_PUBLISHED, VYRE_SLOT_CLAIMED) == VYRE_SLOT_PUBLISHED)
      fault(slot, n);
    return;
  }
  if (b->control[mask_index] == 0) return;  // unauthorized: stays PUBLISHED
  if (atomic_cmpxchg(&slot[VYRE_STATUS_WORD], VYRE_SLOT_PUBLISHED, VYRE_SLOT_CLAIMED) != VYRE_SLOT_PUBLISHED) return;
  const uint opcode = h.s1;
  if (opcode == VYRE_OP_PACKED_SLOT) {
    uint args[VYRE_ARGS_PER_SLOT];
    for (uint i = 0; i < VYRE_ARGS_PER_SLOT; ++i) args[i] = slot[VYRE_ARG0_WORD + i];
    if (!run_packed(b, args, h.s2, id)) {
      fault(slot, n);
      return;
    }
  } else if (is_user_opcode(opcode)) {
    if (!user_op(b, opcode, slot + VYRE_ARG0_WORD, 0, VYRE_ARGS_PER_SLOT, h.s2, id)) {
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
    run_op(b, opcode, a.s0, a.s1, a.s2, id * VYRE_SLOT_WORDS);
  }
  count(n, C_DONE);
  mem_fence(CLK_GLOBAL_MEM_FENCE);
  set_status(slot, n, VYRE_SLOT_DONE);
}

// The sum of one row of sub-counters.
inline uint row_sum(__local const uint* row) {
  uint sum = 0;
  for (uint k = 0; k < SPREAD; ++k) sum += row[k];
  return sum;
}

__kernel void vyre_megakernel(__global uint* control, uint control_words, __global uint* ring, uint slot_count,
                              __global uint* debug_log, uint debug_words, __global uint* io_queue, uint io_slots,
                              __global uint* stats, __global ushort* changes, uint first_slot, uint pass_groups) {
  __local uint l_metrics[VYRE_METRICS_SLOTS * ROW];
  __local uint l_counts[C_COUNT * ROW];
  __local uint l_shutdown, l_last;
  const uint lid = get_local_id(0);
  const uint lsize = get_local_size(0);
  // A pass may be split into launches over consecutive slot ranges (the
  // host overlaps their uploads): `first_slot` is this launch's first slot,
  // `pass_groups` the work-groups of the whole pass.
  const uint id = first_slot + get_global_id(0);
  Buffers b = {control, control_words, debug_log, debug_words, io_queue, io_slots, l_metrics, lid % SPREAD};
  Counters n = {l_counts, lid % SPREAD, changes + min(id, slot_count)};
  for (uint i = lid; i < VYRE_METRICS_SLOTS * ROW; i += lsize) l_metrics[i] = 0;
  for (uint i = lid; i < C_COUNT * ROW; i += lsize) l_counts[i] = 0;
  if (lid == 0) l_shutdown = control[VYRE_CTL_SHUTDOWN];
  barrier(CLK_LOCAL_MEM_FENCE);
  // A set SHUTDOWN stops every lane of the group (the same value for all).
  if (l_shutdown == 0 && id < slot_count) lane_step(&b, ring, id, &n);
  barrier(CLK_LOCAL_MEM_FENCE);
  // One global atomic per non-zero counter and group: DONE and METRICS into
  // the pending words, the dispatcher's counts into stats.
  for (uint i = lid; i < VYRE_METRICS_SLOTS + C_COUNT; i += lsize) {
    if (i < VYRE_METRICS_SLOTS) {
      const uint sum = row_sum(l_metrics + i * ROW);
      if (sum != 0) atomic_add(&stats[VYRE_STAT_PENDING_METRICS + i], sum);
    } else {
      const uint which = i - VYRE_METRICS_SLOTS;
      const uint sum = row_sum(l_counts + which * ROW);
      if (sum == 0) continue;
      if (which == C_DONE) atomic_add(&stats[VYRE_STAT_PENDING_DONE], sum);
      else if (which == C_FAULTS) atomic_add(&stats[VYRE_STAT_FAULTS], sum);
      else if (which == C_WAITING) atomic_add(&stats[VYRE_STAT_WAITING], sum);
      else atomic_add(&stats[VYRE_STAT_IO_FULL], sum);
    }
  }
  // The last group to finish the pass moves the pending words into the
  // control buffer: no slot of this pass reads them after that (every other
  // group has finished its lanes), every slot of the next pass sees them.
  barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE);
  if (lid == 0) {
    mem_fence(CLK_GLOBAL_MEM_FENCE);
    l_last = atomic_inc(&stats[VYRE_STAT_GROUPS_DONE]) == pass_groups - 1;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  if (!l_last) return;
  for (uint i = lid; i <= VYRE_METRICS_SLOTS; i += lsize) {
    const uint word = i == VYRE_METRICS_SLOTS ? VYRE_STAT_PENDING_DONE : VYRE_STAT_PENDING_METRICS + i;
    const uint sum = atomic_xchg(&stats[word], 0u);
    if (sum == 0) continue;
    if (word == VYRE_STAT_PENDING_DONE) atomic_add(&control[VYRE_CTL_DONE_COUNT], sum);
    else atomic_add(&control[VYRE_CTL_METRICS_BASE + i], sum);
  }
  if (lid == 0) atomic_xchg(&stats[VYRE_STAT_GROUPS_DONE], 0u);
}
