// histogram: bytes -> 256 u64 LE counts. Phase 0: each data lane counts its
// share in local memory (coalesced 16-byte loads; sub-histograms so that
// equal bytes of neighbouring work-items hit different counters and banks)
// and adds its counts to the 256 shared totals with 64-bit atomics (the
// sums do not depend on the lanes' order); the coordinator outputs the
// totals. The host tasklet has the same single phase.
#include "grafos_tasklet.clh"

// Work-items share COPIES sub-histograms through local atomics, so equal
// bytes of neighbouring items hit different counters; in a small group
// (prelude) each has its own and counts with plain increments.
#define COPIES GRAFOS_SMALL_GROUP
// A copy's bins start one bank after the previous copy's: a run of equal
// bytes spreads over COPIES banks instead of queueing on one.
#define STRIDE 257
// Local u32 counts are added to the totals at least this often, before a
// counter could overflow.
#define FOLD_BYTES (1ul << 31)

#define COUNT_WORD(INC, h, x) \
  do {                            \
    INC(h, (x) & 0xFF);           \
    INC(h, ((x) >> 8) & 0xFF);    \
    INC(h, ((x) >> 16) & 0xFF);   \
    INC(h, (x) >> 24);            \
  } while (0)
#define COUNT_16(INC, h, q)   \
  do {                        \
    COUNT_WORD(INC, h, q.x);  \
    COUNT_WORD(INC, h, q.y);  \
    COUNT_WORD(INC, h, q.z);  \
    COUNT_WORD(INC, h, q.w);  \
  } while (0)
#define SHARED_INC(h, b) atomic_inc(&(h)[b])
#define OWN_INC(h, b) (++(h)[b])

// Counts the bytes of input[begin, end) into h: whole aligned 16-byte blocks,
// two in flight per work-item, the ends byte by byte.
#define COUNT_RANGE(INC)                                                             \
  do {                                                                               \
    for (ulong i = seg + lid; i < body; i += lsize) INC(h, c.input[i]);              \
    for (ulong i = body_end + lid; i < stop; i += lsize) INC(h, c.input[i]);         \
    ulong w = body / 16 + lid;                                                       \
    for (; w + lsize < body_end / 16; w += 2ul * lsize) {                            \
      const uint4 x = v[w], y = v[w + lsize];                                        \
      COUNT_16(INC, h, x);                                                           \
      COUNT_16(INC, h, y);                                                           \
    }                                                                                \
    if (w < body_end / 16) {                                                         \
      const uint4 x = v[w];                                                          \
      COUNT_16(INC, h, x);                                                           \
    }                                                                                \
  } while (0)

__kernel void grafos_worker(GRAFOS_PARAMS) {
  __local uint hist[COPIES * STRIDE];
  __local uint fuel_ok;
  grafos_ctx c = GRAFOS_WORKER_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  if (!grafos_in(0, 256 * 8, c.shared_bytes)) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, c.shared_bytes);
    return;
  }
  __global ulong* totals = (__global ulong*)c.shared;
  ulong begin, end;
  grafos_partition(c.input_len, grafos_data_worker_count(&c), grafos_data_worker_index(&c), &begin, &end);
  if (!grafos_pay_pass(&c, end - begin, &fuel_ok)) return;
  __local uint* h = hist + (lid % COPIES) * STRIDE;
  __global const uint4* v = (__global const uint4*)c.input;
  for (ulong seg = begin; seg < end; seg += FOLD_BYTES) {
    const ulong stop = min(seg + FOLD_BYTES, end);
    for (uint i = lid; i < COPIES * STRIDE; i += lsize) hist[i] = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    const ulong body = min(stop, (seg + 15) & ~15ul), body_end = max(body, stop & ~15ul);
    if (lsize <= GRAFOS_SMALL_GROUP) COUNT_RANGE(OWN_INC);
    else COUNT_RANGE(SHARED_INC);
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint b = lid; b < 256; b += lsize) {
      uint total = 0;
      for (uint k = 0; k < COPIES; ++k) total += hist[k * STRIDE + b];
      if (total) atom_add((volatile __global ulong*)&totals[b], (ulong)total);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
}

__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  grafos_ctx c = GRAFOS_COORDINATOR_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  if (c.step == 0) {
    if (lid == 0) grafos_run_phase(&c, 0);
    return;
  }
  if (c.output_cap < 256 * 8 || !grafos_in(0, 256 * 8, c.shared_bytes)) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, 0);
    return;
  }
  for (uint b = lid; b < 256; b += lsize) ((__global ulong*)c.output)[b] = ((__global const ulong*)c.shared)[b];
  if (lid == 0) {
    grafos_set_output(&c, 256 * 8);
    grafos_finish(&c);
  }
}
