// histogram: bytes -> 256 u64 LE counts, in three phases as on the host:
// 0 count each lane's bytes into its scratch (local-memory sub-histograms
// flushed once per 64 KiB chunk), 1 publish each lane's counts as a row of
// the shared region, 2 each lane sums a slice of the bins over all rows.
#include "grafos_tasklet.clh"

// Sub-histograms spread same-byte increments over several local counters.
#define COPIES 8

__kernel void grafos_worker(GRAFOS_PARAMS) {
  __local uint hist[COPIES * 256];
  __local uint fuel_ok;
  grafos_ctx c = GRAFOS_WORKER_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  const uint d = grafos_data_worker_count(&c), me = grafos_data_worker_index(&c);
  if (c.scratch_bytes < 256 * 8 || !grafos_in(0, ((ulong)d + 1) * 256 * 8, c.shared_bytes)) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, 0);
    return;
  }
  __global ulong* bins = (__global ulong*)grafos_scratch(&c);
  __global ulong* rows = (__global ulong*)c.shared;
  if (c.step == 0) {
    ulong begin, end;
    grafos_partition(c.input_len, d, me, &begin, &end);
    for (uint v = lid; v < 256; v += lsize) bins[v] = 0;
    const bool metered = grafos_fuel_metered(&c);
    const uint copy = lid % COPIES;
    for (ulong chunk = begin; chunk < end; chunk += GRAFOS_FUEL_CHUNK_BYTES) {
      const ulong stop = min(chunk + GRAFOS_FUEL_CHUNK_BYTES, end);
      if (metered && !grafos_fuel_checkpoint(&c, grafos_fuel_units(stop - chunk), &fuel_ok)) return;
      for (uint v = lid; v < COPIES * 256; v += lsize) hist[v] = 0;
      barrier(CLK_LOCAL_MEM_FENCE);
      // Whole words first (aligned 4-byte loads), then the odd bytes.
      const ulong first_word = (chunk + 3) / 4, last_word = stop / 4;
      for (ulong i = chunk + lid; i < min(first_word * 4, stop); i += lsize) atomic_inc(&hist[copy * 256 + c.input[i]]);
      __global const uint* words = (__global const uint*)c.input;
      for (ulong w = first_word + lid; w < last_word; w += lsize) {
        const uint x = words[w];
        atomic_inc(&hist[copy * 256 + (x & 0xFF)]);
        atomic_inc(&hist[copy * 256 + ((x >> 8) & 0xFF)]);
        atomic_inc(&hist[copy * 256 + ((x >> 16) & 0xFF)]);
        atomic_inc(&hist[copy * 256 + (x >> 24)]);
      }
      for (ulong i = max(last_word * 4, first_word * 4) + lid; i < stop; i += lsize) atomic_inc(&hist[copy * 256 + c.input[i]]);
      barrier(CLK_LOCAL_MEM_FENCE);
      for (uint v = lid; v < 256; v += lsize) {
        ulong total = 0;
        for (uint k = 0; k < COPIES; ++k) total += hist[k * 256 + v];
        bins[v] += total;
      }
      barrier(CLK_LOCAL_MEM_FENCE);
    }
  } else if (c.step == 1) {
    for (uint v = lid; v < 256; v += lsize) rows[(ulong)me * 256 + v] = bins[v];
  } else {
    ulong begin, end;
    grafos_partition(256, d, me, &begin, &end);
    for (ulong v = begin + lid; v < end; v += lsize) {
      ulong total = 0;
      for (uint r = 0; r < d; ++r) total += rows[(ulong)r * 256 + v];
      rows[(ulong)d * 256 + v] = total;
    }
  }
}

__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  grafos_ctx c = GRAFOS_COORDINATOR_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  if (c.step < 3) {
    if (lid == 0) grafos_run_phase(&c, c.step);
    return;
  }
  const uint d = grafos_data_worker_count(&c);
  if (c.output_cap < 256 * 8 || !grafos_in(0, ((ulong)d + 1) * 256 * 8, c.shared_bytes)) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, 0);
    return;
  }
  __global const ulong* totals = (__global const ulong*)c.shared + (ulong)d * 256;
  for (uint v = lid; v < 256; v += lsize) ((__global ulong*)c.output)[v] = totals[v];
  if (lid == 0) {
    grafos_set_output(&c, 256 * 8);
    grafos_finish(&c);
  }
}
