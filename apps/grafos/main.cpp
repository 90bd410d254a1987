// grafos: run shared-memory tasklets on the host or an OpenCL device.
#include "grafos/error.h"
#include "subcommands.h"

namespace {
std::optional<int> tasklet_exit_code(const std::exception& e) {
  if (const auto* t = dynamic_cast<const grafos::TaskletError*>(&e)) return t->exit_code();
  return std::nullopt;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace vyre::cli;
  const std::vector<Subcommand> table = {
      {"run-tasklet", "Run a built-in tasklet or a FILE.cl tasklet", grafos_cli::setup_run_tasklet},
      {"list-tasklets", "List the built-in tasklets", grafos_cli::setup_list_tasklets},
      {"bench", "Run a tasklet repeatedly beside a memcpy / device copy of its input: times, bytes per second, SVG plot",
       grafos_cli::setup_bench},
  };
  run_tool("grafos", "grafos: shared-memory tasklets (one coordinator, N data workers) on the host or OpenCL", table,
           argc, argv, tasklet_exit_code);
}
