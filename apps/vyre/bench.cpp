#include "dispatch_flags.h"
#include "subcommands.h"

namespace vyre::cli {

// Repeated dispatch of one ring from the same starting buffers.
Runner setup_bench(CLI::App& cmd) {
  struct Options {
    DispatchInputs inputs;
    BenchOutputOptions out;
  };
  auto o = std::make_shared<Options>();
  add_dispatch_flags(cmd, o->inputs, true);
  add_bench_output_options(cmd, o->out, 20, 2);
  return [o](std::stop_token stop) {
    apply_server_environment(o->inputs, false);
    BenchWriter writer(o->out);
    Progress progress("vyre bench: run", o->out.quiet);
    const BenchReport report =
        bench_dispatch(o->inputs, o->out.warmup, o->out.repeat,
                       [&](uint32_t done, uint32_t total, bool warmup) { progress.update(done, total, warmup ? "(warm-up)" : ""); },
                       stop);
    writer.write(report, "", stop);
    return kExitOk;
  };
}

}  // namespace vyre::cli
