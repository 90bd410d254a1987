// sum: u32 LE words -> their u64 LE sum. Phase 0: each data lane sums its
// share (coalesced 16-byte loads, then a reduction in local memory) into
// its scratch; the coordinator adds the partial sums.
#include "grafos_tasklet.clh"

__kernel void grafos_worker(GRAFOS_PARAMS) {
  __local ulong partial[GRAFOS_LOCAL_MAX];
  __local uint fuel_ok;
  grafos_ctx c = GRAFOS_WORKER_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  ulong begin, end;
  grafos_partition(c.input_len / 4, grafos_data_worker_count(&c), grafos_data_worker_index(&c), &begin, &end);
  if (!grafos_in(grafos_worker_index(&c) * c.scratch_bytes, 8, c.scratch_bytes * c.workers) || c.scratch_bytes < 8 ||
      lsize > GRAFOS_LOCAL_MAX) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, lsize);
    return;
  }
  if (!grafos_pay_pass(&c, (end - begin) * 4, &fuel_ok)) return;
  const ulong sum = grafos_group_sum_words((__global const uint*)c.input, begin, end, partial, false);
  if (lid == 0) *(__global ulong*)grafos_scratch(&c) = sum;
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
