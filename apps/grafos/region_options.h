// Options grafos run-tasklet and grafos bench share: region sizes, the
// linear-memory budget and the fuel pool, and the target.
#pragma once

#include <optional>
#include <string>

#include "cli_common.h"
#include "grafos/tasklet_job.h"

namespace grafos_cli {

struct RegionOptions {
  std::string shared, scratch, max_memory;
  uint64_t fuel = 0;
  CLI::Option* fuel_option = nullptr;
};

void add_region_options(CLI::App& cmd, RegionOptions& options);
// The sizes parsed (errors name the option), for TaskletJob::configure.
grafos::RegionChoice region_choice(const RegionOptions& options);
void add_target_option(CLI::App& cmd, grafos::Target& target);

}  // namespace grafos_cli
