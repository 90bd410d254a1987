// The grafos driver's subcommands, one setup function per file.
#pragma once

#include "cli_common.h"

namespace grafos_cli {
vyre::cli::Runner setup_run_tasklet(CLI::App& cmd);
vyre::cli::Runner setup_list_tasklets(CLI::App& cmd);
vyre::cli::Runner setup_bench(CLI::App& cmd);
}  // namespace grafos_cli
