// sort (and, with GRAFOS_SORT_PAIRS, sort-pairs): an LSD radix sort of the
// u32 keys by four 8-bit digits, lowest first, each pass stable - the
// algorithm, count table, layout and phases of the host tasklet
// (lib/grafos/tasklets/sort.cpp). For digit p:
//   phase 2p      count: each data lane counts the digit over its share of
//                 the keys in local memory into its row of the count table;
//   coordinator   each column of the table becomes the exclusive prefix
//                 over the lanes, the digit bases the exclusive prefix of
//                 the column totals;
//   phase 2p + 1  scatter: each lane walks its share in tiles; a tile is
//                 loaded coalesced into local memory and sorted there,
//                 stably, by the digit (two 4-bit counting sorts: each
//                 ranking work-item counts its run of consecutive keys per
//                 4-bit value, one work-group scan of those counts gives
//                 every key its rank); the tile's keys then go out in
//                 order, each digit's run to base + lane offset + rank, so
//                 neighbouring work-items write neighbouring words.
// The keys (and values) ping-pong input -> A -> output -> A -> output, A
// being the shared region's copy; a sort-pairs input, output and A hold
// the n keys, then the n values.
#include "grafos_tasklet.clh"

#define DIGITS 256
#define PASSES 4
// Work-items that rank a tile; the others of a larger group load, store
// and join the barriers.
#define RANKERS_MAX 256
#ifdef GRAFOS_SORT_PAIRS
#define WORDS 2
#define TILE 1024
#else
#define WORDS 1
#define TILE 2048
#endif
// PAD (the prelude's, a pad word per 32) keeps the rankers' runs of
// consecutive keys in different banks; PAD_COUNT, a pad word per 16, does
// the same for the 4-bit counters, which the scan reads in runs of 16.
#define PAD GRAFOS_PAD
#define PAD_COUNT(i) ((i) + ((i) >> 4))
#define TILE_PADDED (TILE + TILE / 32)
#define COUNTERS (16 * RANKERS_MAX)
// Digit histograms of the count phase: work-items share COUNT_COPIES
// sub-histograms through local atomics; in a small group (prelude) each has
// its own. A copy starts one bank after the previous one.
#define COUNT_COPIES GRAFOS_SMALL_GROUP
#define COUNT_STRIDE 257

// The shared region, as in SortLayout of the host: the count table (lanes x
// DIGITS u32), the digit bases (DIGITS u32), then A.
inline ulong bases_offset(uint lanes) { return (ulong)lanes * DIGITS * 4; }
inline ulong a_offset(uint lanes) { return (bases_offset(lanes) + DIGITS * 4 + 63) / 64 * 64; }

// Whether the regions hold what the sort needs: n keys counted in u32.
inline bool sort_fits(const grafos_ctx* c, uint lanes, ulong n) {
  return n <= 0xFFFFFFFFul && grafos_in(a_offset(lanes), n * WORDS * 4, c->shared_bytes) &&
         c->output_cap >= n * WORDS * 4 && grafos_local_size() <= GRAFOS_LOCAL_MAX;
}

inline uint digit_of(uint key, uint shift) { return (key >> shift) & (DIGITS - 1); }

// Pass p reads input -> A -> output -> A and writes A -> output -> A -> output.
inline __global const uint* pass_source(const grafos_ctx* c, uint pass, __global uint* a) {
  if (pass == 0) return (__global const uint*)c->input;
  return pass % 2 == 1 ? a : (__global const uint*)c->output;
}
inline __global uint* pass_destination(const grafos_ctx* c, uint pass, __global uint* a) {
  return pass % 2 == 0 ? a : (__global uint*)c->output;
}

// One stable counting sort of the tile's m keys (and values) by the 4 bits
// at `shift`, from kf/vf to kt/vt. Ranker r owns the keys [r*per, r*per+per).
inline void rank_by_nibble(uint shift, uint m, __local const uint* kf, __local uint* kt, __local const uint* vf,
                           __local uint* vt, __local uint* counters, __local uint* tmp) {
  const uint lid = get_local_id(0);
  const uint rankers = min((uint)get_local_size(0), (uint)RANKERS_MAX), per = TILE / rankers;
  const bool ranks = lid < rankers;
  const uint first = lid * per, last = min(first + per, m);
  // Each ranker counts its keys per nibble in its own column of counters.
  if (ranks) {
    for (uint q = 0; q < 16; ++q) counters[PAD_COUNT(q * rankers + lid)] = 0;
    for (uint j = first; j < last; ++j) ++counters[PAD_COUNT(((kf[PAD(j)] >> shift) & 15) * rankers + lid)];
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  // Exclusive scan of the counters in (nibble, ranker) order: each ranker
  // scans a run of 16 of them.
  uint run = 0;
  if (ranks)
    for (uint e = 0; e < 16; ++e) run += counters[PAD_COUNT(lid * 16 + e)];
  uint total;
  run = grafos_group_scan(run, tmp, &total);
  if (ranks)
    for (uint e = 0; e < 16; ++e) {
      const uint x = counters[PAD_COUNT(lid * 16 + e)];
      counters[PAD_COUNT(lid * 16 + e)] = run;
      run += x;
    }
  barrier(CLK_LOCAL_MEM_FENCE);
  // A key's rank: keys of smaller nibbles, of its nibble at earlier rankers,
  // of its nibble earlier in its own run.
  if (ranks)
    for (uint j = first; j < last; ++j) {
      const uint key = kf[PAD(j)];
      const uint r = counters[PAD_COUNT(((key >> shift) & 15) * rankers + lid)]++;
      kt[PAD(r)] = key;
#ifdef GRAFOS_SORT_PAIRS
      vt[PAD(r)] = vf[PAD(j)];
#endif
    }
  barrier(CLK_LOCAL_MEM_FENCE);
}

__kernel void grafos_worker(GRAFOS_PARAMS) {
  __local uint keys[2][TILE_PADDED];
#ifdef GRAFOS_SORT_PAIRS
  __local uint vals[2][TILE_PADDED];
#else
  __local uint vals[2][1];  // unused
#endif
  // The 4-bit counters while scattering, the digit histograms while counting.
  __local uint counters[COUNTERS + COUNTERS / 16];
  __local uint offset[DIGITS], run_start[DIGITS], run_end[DIGITS];
  __local uint tmp[GRAFOS_LOCAL_MAX];
  __local uint fuel_ok;
  grafos_ctx c = GRAFOS_WORKER_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  const uint d = grafos_data_worker_count(&c), k = grafos_data_worker_index(&c);
  const ulong n = c.input_len / (4 * WORDS);
  if (!sort_fits(&c, d, n)) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, n);
    return;
  }
  __global uint* table = (__global uint*)c.shared;
  __global const uint* bases = (__global const uint*)(c.shared + bases_offset(d));
  __global uint* a = (__global uint*)(c.shared + a_offset(d));
  const uint pass = c.step / 2, shift = 8 * pass;
  __global const uint* src = pass_source(&c, pass, a);
  ulong begin, end;
  grafos_partition(n, d, k, &begin, &end);

  if (c.step % 2 == 0) {  // count
    if (!grafos_pay_pass(&c, (end - begin) * 4, &fuel_ok)) return;
    __local uint* h = counters + (lid % COUNT_COPIES) * COUNT_STRIDE;
    for (uint i = lid; i < COUNT_COPIES * COUNT_STRIDE; i += lsize) counters[i] = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lsize <= GRAFOS_SMALL_GROUP) {  // a sub-histogram per work-item: plain increments
      for (ulong i = begin + lid; i < end; i += lsize) ++h[digit_of(src[i], shift)];
    } else {
      ulong i = begin + lid;
      for (; i + 3ul * lsize < end; i += 4ul * lsize) {  // four loads in flight
        const uint x0 = src[i], x1 = src[i + lsize], x2 = src[i + 2ul * lsize], x3 = src[i + 3ul * lsize];
        atomic_inc(&h[digit_of(x0, shift)]);
        atomic_inc(&h[digit_of(x1, shift)]);
        atomic_inc(&h[digit_of(x2, shift)]);
        atomic_inc(&h[digit_of(x3, shift)]);
      }
      for (; i < end; i += lsize) atomic_inc(&h[digit_of(src[i], shift)]);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint v = lid; v < DIGITS; v += lsize) {
      uint total = 0;
      for (uint copy = 0; copy < COUNT_COPIES; ++copy) total += counters[copy * COUNT_STRIDE + v];
      table[(ulong)k * DIGITS + v] = total;
    }
    return;
  }

  // scatter
  if (!grafos_pay_pass(&c, (end - begin) * 4 * WORDS, &fuel_ok)) return;
  __global uint* dst = pass_destination(&c, pass, a);
  if (lsize <= GRAFOS_SMALL_GROUP) {
    // A small group's items run one after the other on one core: one item
    // walks the share in order - stable as it is, with none of the ranking
    // work that lets a GPU's items write side by side. It takes no barrier:
    // PoCL 3.1 ran this path after one as if every item were item 0.
    if (lid != 0) return;
    for (uint v = 0; v < DIGITS; ++v) offset[v] = bases[v] + table[(ulong)k * DIGITS + v];
    for (ulong i = begin; i < end; ++i) {
      const uint key = src[i], to = offset[digit_of(key, shift)]++;
      if (to >= n) {  // only a broken count table could get here
        grafos_fail(&c, GRAFOS_ERROR_BOUNDS, to);
        return;
      }
      dst[to] = key;
#ifdef GRAFOS_SORT_PAIRS
      dst[n + to] = src[n + i];
#endif
    }
    return;
  }
  for (uint v = lid; v < DIGITS; v += lsize) offset[v] = bases[v] + table[(ulong)k * DIGITS + v];
  for (ulong base = begin; base < end; base += TILE) {
    const uint m = (uint)min((ulong)TILE, end - base);
    grafos_load_tile(src, n * WORDS, base, m, keys[0]);
#ifdef GRAFOS_SORT_PAIRS
    grafos_load_tile(src, n * WORDS, n + base, m, vals[0]);
#endif
    for (uint v = lid; v < DIGITS; v += lsize) run_start[v] = run_end[v] = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    rank_by_nibble(shift, m, keys[0], keys[1], vals[0], vals[1], counters, tmp);
    rank_by_nibble(shift + 4, m, keys[1], keys[0], vals[1], vals[0], counters, tmp);
    // Where each digit's run lies in the sorted tile.
    for (uint j = lid; j < m; j += lsize) {
      const uint dg = digit_of(keys[0][PAD(j)], shift);
      if (j == 0 || digit_of(keys[0][PAD(j - 1)], shift) != dg) run_start[dg] = j;
      if (j == m - 1 || digit_of(keys[0][PAD(j + 1)], shift) != dg) run_end[dg] = j + 1;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint j = lid; j < m; j += lsize) {
      const uint key = keys[0][PAD(j)], dg = digit_of(key, shift);
      const ulong to = (ulong)offset[dg] + (j - run_start[dg]);
      if (to >= n) {  // only a broken count table could get here
        grafos_fail(&c, GRAFOS_ERROR_BOUNDS, to);
        continue;
      }
      dst[to] = key;
#ifdef GRAFOS_SORT_PAIRS
      dst[n + to] = vals[0][PAD(j)];
#endif
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint v = lid; v < DIGITS; v += lsize) offset[v] += run_end[v] - run_start[v];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
}

__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  __local uint column_total[DIGITS];
  __local uint tmp[GRAFOS_LOCAL_MAX];
  grafos_ctx c = GRAFOS_COORDINATOR_CTX();
  const uint lid = grafos_local_id(), lsize = grafos_local_size();
  const uint d = grafos_data_worker_count(&c);
  const ulong n = c.input_len / (4 * WORDS);
  if (!sort_fits(&c, d, n)) {
    if (lid == 0) grafos_fail(&c, GRAFOS_ERROR_BOUNDS, n);
    return;
  }
  if (c.step == 2 * PASSES) {  // the last scatter wrote the output
    if (lid == 0) {
      grafos_set_output(&c, n * WORDS * 4);
      grafos_finish(&c);
    }
    return;
  }
  // After a count phase, the scatter's offsets. The barriers stay out of
  // conditionals (every step passes them): PoCL 3.1 miscompiles this
  // coordinator for groups over 256 items otherwise.
  const bool offsets = c.step % 2 == 1;
  __global uint* table = (__global uint*)c.shared;
  __global uint* bases = (__global uint*)(c.shared + bases_offset(d));
  for (uint v = lid; offsets && v < DIGITS; v += lsize) {
    uint running = 0;
    uint lane = 0;
    for (; lane + 8 <= d; lane += 8) {  // eight loads in flight
      uint t[8];
      for (uint j = 0; j < 8; ++j) t[j] = table[(ulong)(lane + j) * DIGITS + v];
      for (uint j = 0; j < 8; ++j) {
        table[(ulong)(lane + j) * DIGITS + v] = running;
        running += t[j];
      }
    }
    for (; lane < d; ++lane) {
      const uint t = table[(ulong)lane * DIGITS + v];
      table[(ulong)lane * DIGITS + v] = running;
      running += t;
    }
    column_total[v] = running;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  // The bases: an exclusive scan of the column totals, a run of `per`
  // digits per work-item (the group size is a power of two).
  const uint per = lsize >= DIGITS ? 1 : DIGITS / lsize;
  const bool has_run = offsets && lid * per < DIGITS;
  uint run = 0;
  if (has_run)
    for (uint j = 0; j < per; ++j) run += column_total[lid * per + j];
  uint total;
  run = grafos_group_scan(run, tmp, &total);
  if (has_run)
    for (uint j = 0; j < per; ++j) {
      bases[lid * per + j] = run;
      run += column_total[lid * per + j];
    }
  if (lid == 0) grafos_run_phase(&c, c.step);
}
