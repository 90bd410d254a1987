// sum: u32 LE words -> their u64 LE sum. Phase 0: each data lane sums its
// share (work-items stride through it, then reduce in local memory) into
// its scratch; the coordinator adds the partial sums.
#include "grafos_tasklet.clh"

#define LOCAL_MAX 1024

__kernel void grafos_worker(GRAFOS_PARAMS) {
  __local ulong partial[LOCAL_MAX];
  __local uint fuel_ok;
  grafos_ctx c = GRAFOS_WORKER_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  const ulong words = c.input_len / 4;
  ulong begin, end;
  grafos_partition(words, grafos_data_worker_count(&c), grafos_data_worker_index(&c), &begin, &end);
  if (!grafos_in(grafos_worker_index(&c) * c.scratch_bytes, 8, c.scratch_bytes * c.workers) || c.scratch_bytes < 8 ||
      lsize > LOCAL_MAX) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, 0);
    return;
  }
  __global const uint* in = (__global const uint*)c.input;
  ulong sum = 0;
  const bool metered = grafos_fuel_metered(&c);
  for (ulong chunk = begin; chunk < end; chunk += GRAFOS_FUEL_CHUNK_BYTES / 4) {
    const ulong stop = min(chunk + GRAFOS_FUEL_CHUNK_BYTES / 4, end);
    if (metered && !grafos_fuel_checkpoint(&c, grafos_fuel_units((stop - chunk) * 4), &fuel_ok)) return;
    for (ulong i = chunk + lid; i < stop; i += lsize) sum += in[i];
  }
  partial[lid] = sum;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (uint s = lsize / 2; s > 0; s >>= 1) {
    if (lid < s) partial[lid] += partial[lid + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0) *(__global ulong*)grafos_scratch(&c) = partial[0];
}

__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  grafos_ctx c = GRAFOS_COORDINATOR_CTX();
  if (grafos_local_id() != 0) return;
  if (c.step == 0) {
    grafos_run_phase(&c, 0);
    return;
  }
  ulong total;
  if (!grafos_sum_scratch_u64(&c, &total)) return;
  grafos_output_u64(&c, total);
  grafos_finish(&c);
}
