// Options grafos run-tasklet and grafos bench share: region sizes, the
// linear-memory budget and the fuel pool.
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

// Sizes the regions (the tasklet's need unless given), the budget and fuel.
void apply_region_options(const RegionOptions& options, const grafos::TaskletJob& job, uint64_t input_len,
                          grafos::TaskletConfig& config);

}  // namespace grafos_cli
