// The host forms of the built-in tasklets (one file each beside this one)
// and what they share: the builder for a TaskletConfig and the pass loop
// that pays fuel by the rule of builtin_tasklets.h.
#pragma once

#include <algorithm>
#include <bit>
#include <span>

#include "grafos/builtin_tasklets.h"
#include "grafos/tasklet.h"

namespace grafos::host_tasklets {

// The host tasklets emit native u32/u64 arrays, which are the LE wire format
// only on LE hosts.
static_assert(std::endian::native == std::endian::little, "the host tasklets emit native words as LE");

struct NoState {};

// A builder carrying every setting of `config`.
template <typename S, typename W>
SharedTaskletBuilder<S, W> builder_for(const TaskletConfig& config, std::span<const uint8_t> input) {
  SharedTaskletBuilder<S, W> b;
  b.cores(config.cores).workers(config.workers).shared_bytes(config.shared_bytes)
      .scratch_bytes_per_worker(config.scratch_bytes_per_worker).max_linear_memory(config.max_linear_memory)
      .cancel_token(config.cancel).input(input);
  if (config.max_fuel) b.with_max_fuel(*config.max_fuel);
  if (config.deadline) b.deadline(*config.deadline);
  return b;
}

// One pass of a lane over items [share.begin, share.end) of `item_bytes`
// each (a divisor of 64 KiB): before each 64 KiB chunk it pays the chunk's
// fuel, after it checks for cancellation; body(begin, end) reads the chunk.
template <typename Ctx, typename F>
void for_each_chunk(const Ctx& w, Partition share, uint64_t item_bytes, F&& body) {
  const uint64_t per_chunk = kFuelChunkBytes / item_bytes;
  for (uint64_t c = share.begin; c < share.end; c += per_chunk) {
    const uint64_t e = std::min(c + per_chunk, share.end);
    if (w.fuel_metered()) w.fuel_checkpoint(fuel_units((e - c) * item_bytes));
    body(c, e);
    if (w.cancelled()) w.check_cancelled();
  }
}

// The sum of `count` u32 LE words at `p` (mod 2^64; its low half is the
// sum mod 2^32 that the prefix sums need).
uint64_t sum_words(const uint8_t* p, uint64_t count);

SharedTaskletResult sum_host(const TaskletConfig& config, std::span<const uint8_t> input);
RegionSizes sum_sizes(uint64_t input_len, uint32_t workers);

SharedTaskletResult histogram_host(const TaskletConfig& config, std::span<const uint8_t> input);
RegionSizes histogram_sizes(uint64_t input_len, uint32_t workers);

SharedTaskletResult sort_host(const TaskletConfig& config, std::span<const uint8_t> input);
SharedTaskletResult sort_pairs_host(const TaskletConfig& config, std::span<const uint8_t> input);
RegionSizes sort_sizes(uint64_t input_len, uint32_t workers);

SharedTaskletResult prefix_sum_host(const TaskletConfig& config, std::span<const uint8_t> input);
SharedTaskletResult exclusive_prefix_sum_host(const TaskletConfig& config, std::span<const uint8_t> input);
RegionSizes prefix_sum_sizes(uint64_t input_len, uint32_t workers);

}  // namespace grafos::host_tasklets
