// The configuration of one shared-memory tasklet, its validation (the rules
// of grafos-tasklets(7)), the even partition helper, and the result of a run. Used
// by both targets.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "grafos/buffer_pool.h"

namespace grafos {

inline constexpr uint64_t kDefaultMaxLinearMemory = 0xFFFFFFFFull;

struct TaskletConfig {
  uint32_t cores = 0;    // 0: as many as workers
  uint32_t workers = 2;  // lane 0 coordinates, lanes 1.. are data workers
  uint64_t shared_bytes = 0;
  uint64_t scratch_bytes_per_worker = 0;
  uint64_t max_linear_memory = kDefaultMaxLinearMemory;
  std::optional<uint64_t> max_fuel;  // none: fuel_checkpoint always fails
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::stop_token cancel;  // cancellation from outside
};

// Throws TaskletError(InvalidConfig or MemoryBudget) before any lane starts.
// The type sizes are those of the shared state and of one worker's scratch
// state, which must fit their regions.
void validate_config(const TaskletConfig& config, uint64_t shared_type_size = 0, uint64_t scratch_type_size = 0);

// Upper bound on workers, so absurd requests fail fast instead of spawning.
inline constexpr uint32_t kMaxWorkers = 4096;

// Item range [begin, end) of part `i` when `n` items are split evenly over
// `parts`: the first n % parts parts get one more. The OpenCL prelude uses
// the same formula, so both targets partition identically.
struct Partition {
  uint64_t begin = 0, end = 0;
  uint64_t size() const { return end - begin; }
};
constexpr Partition partition(uint64_t n, uint32_t parts, uint32_t i) {
  const uint64_t base = n / parts, rem = n % parts;
  const uint64_t begin = i * base + (i < rem ? i : rem);
  return {begin, begin + base + (i < rem ? 1 : 0)};
}

struct PhaseStats {
  uint32_t lanes = 0;
  double wall_ms = 0;
};

struct SharedTaskletResult {
  OutputBytes output;
  uint64_t fuel_consumed = 0;
  uint32_t phases = 0;
  std::vector<PhaseStats> phase_stats;
  double wall_ms = 0;
};

}  // namespace grafos
