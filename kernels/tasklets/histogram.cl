// histogram: bytes -> 256 u64 LE counts. Phase 0: each data lane counts its
// share in local memory (coalesced 16-byte loads; sub-histograms so that
// equal bytes of neighbouring work-items hit different counters and banks)
// and adds its counts to the 256 shared totals with 64-bit atomics (the
// sums do not depend on the lanes' order); the coordinator outputs the
// totals. The host tasklet has the same single phase.
#include "grafos_tasklet.clh"

#define COPIES 16
// A copy's bins start one bank after the previous copy's: a run of equal
// bytes spreads over COPIES banks instead of queueing on one.
#define STRIDE 257
// Local u32 counts are added to the totals at least this often, before a
// counter could overflow.
#define FOLD_BYTES (1ul << 31)

inline void count_word(__local uint* h, uint x) {
  atomic_inc(&h[x & 0xFF]);
  atomic_inc(&h[(x >> 8) & 0xFF]);
  atomic_inc(&h[(x >> 16) & 0xFF]);
  atomic_inc(&h[x >> 24]);
}
inline void count_16(__local uint* h, uint4 x) {
  count_word(h, x.x);
  count_word(h, x.y);
  count_word(h, x.z);
  count_word(h, x.w);
}

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
    // Whole aligned 16-byte blocks, two in flight per work-item; the ends
    // byte by byte.
    const ulong body = min(stop, (seg + 15) & ~15ul), body_end = max(body, stop & ~15ul);
    for (ulong i = seg + lid; i < body; i += lsize) atomic_inc(&h[c.input[i]]);
    for (ulong i = body_end + lid; i < stop; i += lsize) atomic_inc(&h[c.input[i]]);
    ulong w = body / 16 + lid;
    for (; w + lsize < body_end / 16; w += 2ul * lsize) {
      const uint4 x = v[w], y = v[w + lsize];
      count_16(h, x);
      count_16(h, y);
    }
    if (w < body_end / 16) count_16(h, v[w]);
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
