#include "region_options.h"

namespace grafos_cli {

void add_region_options(CLI::App& cmd, RegionOptions& o) {
  cmd.add_option("--shared-bytes", o.shared, "Shared region size, e.g. 4K, 1M (default: what the tasklet needs)");
  cmd.add_option("--scratch-bytes-per-worker", o.scratch, "Scratch size per worker (default: what the tasklet needs)");
  cmd.add_option("--max-linear-memory", o.max_memory, "Budget for shared + workers x scratch (default 4G - 1)");
  o.fuel_option = cmd.add_option("--fuel", o.fuel, "Lease-wide fuel pool; without it fuel checkpoints fail")
                      ->check(vyre::cli::whole_number(0, UINT64_MAX));
}

void apply_region_options(const RegionOptions& o, const grafos::TaskletJob& job, uint64_t input_len,
                          grafos::TaskletConfig& config) {
  using vyre::cli::parse_size;
  if (!o.max_memory.empty()) config.max_linear_memory = parse_size(o.max_memory, "--max-linear-memory");
  if (o.fuel_option && o.fuel_option->count()) config.max_fuel = o.fuel;
  job.size_regions(config, input_len,
                   o.shared.empty() ? std::nullopt : std::optional<uint64_t>(parse_size(o.shared, "--shared-bytes")),
                   o.scratch.empty() ? std::nullopt
                                     : std::optional<uint64_t>(parse_size(o.scratch, "--scratch-bytes-per-worker")));
}

}  // namespace grafos_cli
