// prefix-sum (and, with GRAFOS_EXCLUSIVE_SCAN, exclusive-prefix-sum): u32 LE
// words -> their prefix sums mod 2^32, reduce-then-scan as on the host.
// Phase 0: each data lane sums its share (coalesced 16-byte loads, from its
// end back) into the shared totals; the coordinator turns the totals into
// the sum of every share before each; phase 1: each lane scans its share
// tile by tile - a tile is loaded coalesced into local memory, each
// work-item scans a run of consecutive words, a work-group scan of the
// runs' totals gives their offsets - and writes the sums coalesced straight
// into the output buffer (on a CPU device's small group one item scans the
// share in order). The input is read twice and the output written once.
#include "grafos_tasklet.clh"

// A bigger tile spreads each tile's work-group scan over more words (on an
// H200, with tiles then loaded a word at a time, 8192 words gave 0.50x of a
// device copy where 4096 gave 0.47x); it needs 33 KiB of the local memory
// beside the scan's 12 KiB.
#if GRAFOS_DEVICE_LOCAL_MEM_BYTES >= 48 * 1024
#define TILE 8192
#else
#define TILE 4096
#endif
#define PAD GRAFOS_PAD

__kernel void grafos_worker(GRAFOS_PARAMS) {
  __local uint tile[TILE + TILE / 32];
  __local uint scan_tmp[GRAFOS_LOCAL_MAX];
  __local ulong sum_tmp[GRAFOS_LOCAL_MAX];
  __local uint fuel_ok;
  grafos_ctx c = GRAFOS_WORKER_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  const uint d = grafos_data_worker_count(&c), k = grafos_data_worker_index(&c);
  const ulong n = c.input_len / 4;
  if (!grafos_in(0, (ulong)d * 4, c.shared_bytes) || c.output_cap < 4 * n || lsize > GRAFOS_LOCAL_MAX) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, lsize);
    return;
  }
  __global uint* totals = (__global uint*)c.shared;
  __global const uint* in = (__global const uint*)c.input;
  __global uint* out = (__global uint*)c.output;
  ulong begin, end;
  grafos_partition(n, d, k, &begin, &end);
  if (!grafos_pay_pass(&c, (end - begin) * 4, &fuel_ok)) return;
  if (c.step == 0) {
    // Read from the end back: the scan below then finds each share's first
    // lines in the L2 cache (an H200, 256 MiB: 0.49-0.51x of a device copy
    // against 0.48-0.49x reading forward).
    const ulong sum = grafos_group_sum_words(in, begin, end, sum_tmp, true);
    if (lid == 0) totals[k] = (uint)sum;
    return;
  }
  uint carry = totals[k];
  if (lsize <= GRAFOS_SMALL_GROUP) {
    // A small group's items run one after the other on one core: one item
    // scans the share in order, without the tiles that let a GPU's items
    // scan side by side (and without a barrier, as in sort.cl).
    if (lid != 0) return;
    for (ulong i = begin; i < end; ++i) {
      const uint x = in[i];
#ifdef GRAFOS_EXCLUSIVE_SCAN
      out[i] = carry;
      carry += x;
#else
      out[i] = carry += x;
#endif
    }
    return;
  }
  const uint per = TILE / lsize;  // consecutive words per work-item
  for (ulong base = begin; base < end; base += TILE) {
    const uint m = (uint)min((ulong)TILE, end - base);
    grafos_load_tile(in, n, base, m, tile);
    barrier(CLK_LOCAL_MEM_FENCE);
    const uint first = lid * per, last = min(first + per, m);
    uint run = 0;
    for (uint j = first; j < last; ++j) run += tile[PAD(j)];
    uint tile_total;
    run = carry + grafos_group_scan(run, scan_tmp, &tile_total);
    for (uint j = first; j < last; ++j) {
      const uint x = tile[PAD(j)];
#ifdef GRAFOS_EXCLUSIVE_SCAN
      tile[PAD(j)] = run;
      run += x;
#else
      run += x;
      tile[PAD(j)] = run;
#endif
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint j = lid; j < m; j += lsize) out[base + j] = tile[PAD(j)];
    carry += tile_total;
    barrier(CLK_LOCAL_MEM_FENCE);  // the next tile overwrites this one
  }
}

__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  __local uint scan_tmp[GRAFOS_LOCAL_MAX];
  grafos_ctx c = GRAFOS_COORDINATOR_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  const uint d = grafos_data_worker_count(&c);
  const ulong n = c.input_len / 4;
  if (!grafos_in(0, (ulong)d * 4, c.shared_bytes) || c.output_cap < 4 * n || lsize > GRAFOS_LOCAL_MAX) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, lsize);
    return;
  }
  if (c.step == 0) {
    if (lid == 0) grafos_run_phase(&c, 0);
  } else if (c.step == 1) {  // the totals become offsets
    grafos_scan_in_place((__global uint*)c.shared, d, scan_tmp);
    if (lid == 0) grafos_run_phase(&c, 1);
  } else if (lid == 0) {
    grafos_set_output(&c, 4 * n);
    grafos_finish(&c);
  }
}
