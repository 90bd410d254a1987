// A user tasklet for `grafos run-tasklet FILE.cl --target opencl`: counts the
// newline bytes of the input and outputs the count as a u64 LE.
//
//   grafos run-tasklet examples/tasklets/count_lines.cl --target opencl \
//       --workers 5 --scratch-bytes-per-worker 8 --input README.md | od -An -tu8
//
// Phase 0: each data lane counts its share (its work-items stride through
// it and add their counts in local memory, synchronized by grafos_barrier);
// the coordinator then adds the lanes' counts from their scratch regions
// (grafos_sum_scratch_u64) and outputs the total (grafos_output_u64).
#include "grafos_tasklet.clh"

__kernel void grafos_worker(GRAFOS_PARAMS) {
  __local uint counts[1024];
  grafos_ctx c = GRAFOS_WORKER_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  if (c.scratch_bytes < 8 || lsize > 1024) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_USER, 1);  // needs 8 scratch bytes per worker
    return;
  }
  ulong begin, end;
  grafos_partition(c.input_len, grafos_data_worker_count(&c), grafos_data_worker_index(&c), &begin, &end);
  uint mine = 0;
  for (ulong i = begin + lid; i < end; i += lsize) mine += c.input[i] == '\n';
  counts[lid] = mine;
  grafos_barrier();
  if (lid == 0) {
    ulong total = 0;
    for (uint k = 0; k < lsize; ++k) total += counts[k];
    *(__global ulong*)grafos_scratch(&c) = total;
  }
}

__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  grafos_ctx c = GRAFOS_COORDINATOR_CTX();
  if (grafos_local_id() != 0) return;
  if (c.step == 0) {
    grafos_run_phase(&c, 0);
    return;
  }
  ulong lines;
  if (!grafos_sum_scratch_u64(&c, &lines)) return;
  grafos_output_u64(&c, lines);
  grafos_finish(&c);
}
