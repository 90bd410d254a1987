#include "grafos/config.h"

#include "grafos/error.h"

namespace grafos {

void validate_config(const TaskletConfig& c, uint64_t shared_type_size, uint64_t scratch_type_size) {
  auto invalid = [](const std::string& what) {
    throw TaskletError(TaskletErrorKind::InvalidConfig, "invalid tasklet configuration: " + what);
  };
  if (c.workers < 2)
    invalid("workers is " + std::to_string(c.workers) +
            "; a tasklet needs one coordinator and at least one data worker. Fix: use --workers 2 or more");
  if (c.workers > kMaxWorkers)
    invalid("workers is " + std::to_string(c.workers) + ", above the limit of " + std::to_string(kMaxWorkers) +
            ". Fix: use fewer workers");
  const uint32_t cores = c.cores == 0 ? c.workers : c.cores;
  if (c.workers > cores)
    invalid("workers (" + std::to_string(c.workers) + ") exceed cores (" + std::to_string(cores) +
            "). Fix: raise --cores or lower --workers");
  if (shared_type_size > c.shared_bytes)
    invalid("the shared state needs " + std::to_string(shared_type_size) + " bytes but shared_bytes is " +
            std::to_string(c.shared_bytes) + ". Fix: raise --shared-bytes");
  if (scratch_type_size > c.scratch_bytes_per_worker)
    invalid("the worker scratch state needs " + std::to_string(scratch_type_size) +
            " bytes but scratch_bytes_per_worker is " + std::to_string(c.scratch_bytes_per_worker) +
            ". Fix: raise --scratch-bytes-per-worker");
  // shared + workers * scratch <= max_linear_memory, without overflow.
  uint64_t scratch_total = 0, total = 0;
  const bool overflow = __builtin_mul_overflow(uint64_t{c.workers}, c.scratch_bytes_per_worker, &scratch_total) ||
                        __builtin_add_overflow(scratch_total, c.shared_bytes, &total);
  if (overflow || total > c.max_linear_memory)
    throw TaskletError(TaskletErrorKind::MemoryBudget,
                       "memory budget exceeded: shared " + std::to_string(c.shared_bytes) + " + " +
                           std::to_string(c.workers) + " workers x " + std::to_string(c.scratch_bytes_per_worker) +
                           " scratch bytes is more than max_linear_memory " + std::to_string(c.max_linear_memory) +
                           ". Fix: shrink the regions or use fewer workers");
}

}  // namespace grafos
