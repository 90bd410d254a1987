// The vyre driver's subcommands, one setup function per file.
#pragma once

#include "cli_common.h"

namespace vyre::cli {
Runner setup_encode_ring(CLI::App& cmd);
Runner setup_encode_control(CLI::App& cmd);
Runner setup_encode_debug_log(CLI::App& cmd);
Runner setup_encode_io_queue(CLI::App& cmd);
Runner setup_inspect(CLI::App& cmd);
Runner setup_decode_debug(CLI::App& cmd);
Runner setup_dispatch(CLI::App& cmd);
Runner setup_devices(CLI::App& cmd);
Runner setup_serve(CLI::App& cmd);
Runner setup_diff(CLI::App& cmd);
Runner setup_report(CLI::App& cmd);
Runner setup_replay(CLI::App& cmd);
Runner setup_bench(CLI::App& cmd);
}  // namespace vyre::cli
