// sort: u32 LE words -> the same words ascending, with the host tasklet's
// phases: 0 each lane copies its share into buffer A and sorts it (bottom-up
// merge sort through its share of buffer B); then merge level L (phase L + 1)
// has lane k merge runs 2k and 2k + 1, A -> B on even levels and B -> A on
// odd ones, until one run remains. Every merge is split among the lane's
// work-items along the merge path, so all of them work on every pass.
#include "grafos_tasklet.clh"

// How many of the first `diag` outputs of merge(s[a0, a1), s[b0, b1)) come
// from the first run (ties go to the first run, as std::merge does).
inline ulong merge_split(__global const uint* s, ulong a0, ulong a1, ulong b0, ulong b1, ulong diag) {
  ulong lo = diag > b1 - b0 ? diag - (b1 - b0) : 0;
  ulong hi = min(diag, a1 - a0);
  while (lo < hi) {
    const ulong mid = (lo + hi) / 2;
    if (s[a0 + mid] <= s[b0 + diag - mid - 1]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Writes outputs [out_lo, out_hi) of merge(s[a0, a1), s[b0, b1)) to d[a0 + ...].
inline void merge_part(__global const uint* s, __global uint* d, ulong a0, ulong a1, ulong b0, ulong b1, ulong out_lo,
                       ulong out_hi) {
  const ulong d0 = out_lo - a0, d1 = out_hi - a0;
  ulong i = a0 + merge_split(s, a0, a1, b0, b1, d0);
  const ulong i_end = a0 + merge_split(s, a0, a1, b0, b1, d1);
  ulong j = b0 + d0 - (i - a0);
  const ulong j_end = b0 + d1 - (i_end - a0);
  for (ulong o = out_lo; o < out_hi; ++o) {
    if (j >= j_end || (i < i_end && s[i] <= s[j])) d[o] = s[i++];
    else d[o] = s[j++];
  }
}

// Work-item t of T merges its share of every pair of width-w runs of
// s[begin, end) into d.
inline void merge_pass(__global const uint* s, __global uint* d, ulong begin, ulong end, ulong w, uint t, uint T) {
  const ulong m = end - begin;
  ulong pos = begin + m * t / T;
  const ulong out_hi = begin + m * (t + 1) / T;
  while (pos < out_hi) {
    const ulong a0 = begin + (pos - begin) / (2 * w) * (2 * w);
    const ulong a1 = min(a0 + w, end), b1 = min(a0 + 2 * w, end);
    const ulong seg_hi = min(out_hi, b1);
    merge_part(s, d, a0, a1, a1, b1, pos, seg_hi);
    pos = seg_hi;
  }
}

inline ulong runs_at(uint d, uint level) { return ((ulong)d + (1ul << level) - 1) >> level; }
inline ulong run_begin(ulong n, uint parts, ulong run, uint level) {
  const ulong first = run << level;
  ulong b, e;
  if (first >= parts) return n;
  grafos_partition(n, parts, (uint)first, &b, &e);
  return b;
}

__kernel void grafos_worker(GRAFOS_PARAMS) {
  __local uint fuel_ok;
  grafos_ctx c = GRAFOS_WORKER_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  const uint d = grafos_data_worker_count(&c), k = grafos_data_worker_index(&c);
  const ulong n = c.input_len / 4;
  if (!grafos_in(64, 8 * n, c.shared_bytes)) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, 0);
    return;
  }
  __global uint* A = (__global uint*)(c.shared + 64);
  __global uint* B = A + n;
  if (c.step == 0) {
    ulong begin, end;
    grafos_partition(n, d, k, &begin, &end);
    __global const uint* in = (__global const uint*)c.input;
    const bool metered = grafos_fuel_metered(&c);
    for (ulong chunk = begin; chunk < end; chunk += GRAFOS_FUEL_CHUNK_BYTES / 4) {
      const ulong stop = min(chunk + GRAFOS_FUEL_CHUNK_BYTES / 4, end);
      if (metered && !grafos_fuel_checkpoint(&c, grafos_fuel_units((stop - chunk) * 4), &fuel_ok)) return;
      for (ulong i = chunk + lid; i < stop; i += lsize) A[i] = in[i];
    }
    barrier(CLK_GLOBAL_MEM_FENCE);
    bool in_a = true;
    for (ulong w = 1; w < end - begin; w *= 2) {
      merge_pass(in_a ? A : B, in_a ? B : A, begin, end, w, lid, lsize);
      in_a = !in_a;
      barrier(CLK_GLOBAL_MEM_FENCE);
    }
    if (!in_a)
      for (ulong i = begin + lid; i < end; i += lsize) A[i] = B[i];
    return;
  }
  const uint level = c.step - 1;
  if (2ul * k >= runs_at(d, level)) return;  // no run left for this lane
  const ulong lo = run_begin(n, d, 2ul * k, level), mid = run_begin(n, d, 2ul * k + 1, level),
              hi = run_begin(n, d, 2ul * k + 2, level);
  __global uint* src = level % 2 == 0 ? A : B;
  __global uint* dst = level % 2 == 0 ? B : A;
  const ulong m = hi - lo;
  merge_part(src, dst, lo, mid, mid, hi, lo + m * lid / lsize, lo + m * (lid + 1) / lsize);
}

__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  grafos_ctx c = GRAFOS_COORDINATOR_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  const uint d = grafos_data_worker_count(&c);
  const ulong n = c.input_len / 4;
  if (c.step == 0 || runs_at(d, c.step - 1) > 1) {
    if (lid == 0) grafos_run_phase(&c, c.step);
    return;
  }
  if (!grafos_in(64, 8 * n, c.shared_bytes) || c.output_cap < 4 * n) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, 0);
    return;
  }
  __global const uint* A = (__global const uint*)(c.shared + 64);
  __global const uint* result = (c.step - 1) % 2 == 0 ? A : A + n;
  for (ulong i = lid; i < n; i += lsize) ((__global uint*)c.output)[i] = result[i];
  if (lid == 0) {
    grafos_set_output(&c, 4 * n);
    grafos_finish(&c);
  }
}
