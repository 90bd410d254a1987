// prefix-sum: u32 LE words -> inclusive prefix sums mod 2^32. Phase 0: each
// lane scans its share tile by tile (a work-group scan in local memory plus
// the running carry) and records its total; the coordinator turns totals
// into offsets; phase 1: each lane adds its offset.
#include "grafos_tasklet.clh"

#define LOCAL_MAX 1024

__kernel void grafos_worker(GRAFOS_PARAMS) {
  __local uint tile[LOCAL_MAX];
  __local uint fuel_ok;
  grafos_ctx c = GRAFOS_WORKER_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  const uint d = grafos_data_worker_count(&c), k = grafos_data_worker_index(&c);
  const ulong n = c.input_len / 4;
  const ulong out_off = ((ulong)d * 4 + 63) / 64 * 64;
  if (!grafos_in(out_off, 4 * n, c.shared_bytes) || lsize > LOCAL_MAX) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, 0);
    return;
  }
  __global uint* totals = (__global uint*)c.shared;
  __global uint* out = (__global uint*)(c.shared + out_off);
  ulong begin, end;
  grafos_partition(n, d, k, &begin, &end);
  if (c.step == 1) {
    const uint offset = totals[k];
    for (ulong i = begin + lid; i < end; i += lsize) out[i] += offset;
    return;
  }
  __global const uint* in = (__global const uint*)c.input;
  const bool metered = grafos_fuel_metered(&c);
  uint carry = 0;
  for (ulong chunk = begin; chunk < end; chunk += GRAFOS_FUEL_CHUNK_BYTES / 4) {
    const ulong stop = min(chunk + GRAFOS_FUEL_CHUNK_BYTES / 4, end);
    if (metered && !grafos_fuel_checkpoint(&c, grafos_fuel_units((stop - chunk) * 4), &fuel_ok)) return;
    for (ulong base = chunk; base < stop; base += lsize) {
      const ulong i = base + lid;
      tile[lid] = i < stop ? in[i] : 0;
      barrier(CLK_LOCAL_MEM_FENCE);
      for (uint s = 1; s < lsize; s <<= 1) {  // Hillis-Steele inclusive scan
        const uint add = lid >= s ? tile[lid - s] : 0;
        barrier(CLK_LOCAL_MEM_FENCE);
        tile[lid] += add;
        barrier(CLK_LOCAL_MEM_FENCE);
      }
      if (i < stop) out[i] = tile[lid] + carry;
      carry += tile[lsize - 1];
      barrier(CLK_LOCAL_MEM_FENCE);
    }
  }
  if (lid == 0) totals[k] = carry;
}

__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  grafos_ctx c = GRAFOS_COORDINATOR_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  const uint d = grafos_data_worker_count(&c);
  const ulong n = c.input_len / 4;
  const ulong out_off = ((ulong)d * 4 + 63) / 64 * 64;
  if (!grafos_in(out_off, 4 * n, c.shared_bytes) || c.output_cap < 4 * n) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, 0);
    return;
  }
  __global uint* totals = (__global uint*)c.shared;
  if (c.step == 0) {
    if (lid == 0) grafos_run_phase(&c, 0);
  } else if (c.step == 1) {
    if (lid == 0) {
      uint running = 0;
      for (uint i = 0; i < d; ++i) {
        const uint t = totals[i];
        totals[i] = running;
        running += t;
      }
      grafos_run_phase(&c, 1);
    }
  } else {
    __global const uint* out = (__global const uint*)(c.shared + out_off);
    for (ulong i = lid; i < n; i += lsize) ((__global uint*)c.output)[i] = out[i];
    if (lid == 0) {
      grafos_set_output(&c, 4 * n);
      grafos_finish(&c);
    }
  }
}
