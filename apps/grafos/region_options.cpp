#include "region_options.h"

namespace grafos_cli {

void add_region_options(CLI::App& cmd, RegionOptions& o) {
  cmd.add_option("--shared-bytes", o.shared, "Shared region size, e.g. 4K, 1M (default: what the tasklet needs)");
  cmd.add_option("--scratch-bytes-per-worker", o.scratch, "Scratch size per worker (default: what the tasklet needs)");
  cmd.add_option("--max-linear-memory", o.max_memory, "Budget for shared + workers x scratch (default 4G - 1)");
  o.fuel_option = cmd.add_option("--fuel", o.fuel, "Lease-wide fuel pool; without it fuel checkpoints fail")
                      ->check(vyre::cli::whole_number(0, UINT64_MAX));
}

grafos::RegionChoice region_choice(const RegionOptions& o) {
  using vyre::cli::parse_size;
  auto size = [](const std::string& text, const char* option) {
    return text.empty() ? std::nullopt : std::optional<uint64_t>(parse_size(text, option));
  };
  grafos::RegionChoice choice;
  choice.shared_bytes = size(o.shared, "--shared-bytes");
  choice.scratch_bytes_per_worker = size(o.scratch, "--scratch-bytes-per-worker");
  choice.max_linear_memory = size(o.max_memory, "--max-linear-memory");
  if (o.fuel_option && o.fuel_option->count()) choice.fuel = o.fuel;
  return choice;
}

void add_target_option(CLI::App& cmd, grafos::Target& target) {
  vyre::cli::add_choice_option(cmd, "--target", target,
                               {{"host", grafos::Target::Host}, {"opencl", grafos::Target::OpenCl}},
                               "host (threads) or opencl");
}

}  // namespace grafos_cli
