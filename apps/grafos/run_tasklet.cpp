#include <algorithm>
#include <chrono>

#include "grafos/error.h"
#include "grafos/tasklet_job.h"
#include "region_options.h"
#include "subcommands.h"
#include "vyre/error.h"
#include "vyre/file_io.h"

namespace grafos_cli {


vyre::cli::Runner setup_run_tasklet(CLI::App& cmd) {
  struct Options {
    std::string tasklet, input, output = "-", device, report;
    grafos::Target target = grafos::Target::Host;
    uint32_t workers = 0, cores = 0, local_size = 0;
    RegionOptions regions;
    double timeout = 0;
    bool no_cache = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("TASKLET", o->tasklet, "A built-in tasklet (grafos list-tasklets) or a FILE.cl tasklet")->required();
  auto* workers = cmd.add_option("--workers", o->workers,
                                 "Lanes: 1 coordinator + N-1 data workers, at least 2 (default: " +
                                     grafos::kDefaultWorkersRule + ")")
                      ->check(vyre::cli::whole_number(0, UINT32_MAX));
  cmd.add_option("--cores", o->cores, "Cores of the lease (default: --workers); workers must not exceed it")
      ->check(vyre::cli::whole_number(1, UINT32_MAX));
  add_region_options(cmd, o->regions);
  cmd.add_option("--input", o->input, "Input bytes: a file or - for stdin (default: empty)");
  vyre::cli::add_output_option(cmd, o->output, "Output file (never a terminal)");
  add_target_option(cmd, o->target);
  cmd.add_option("--device", o->device, "OpenCL device (as vyre dispatch --device)");
  cmd.add_option("--local-size", o->local_size, "OpenCL work-items per worker (default " + grafos::kDefaultLocalSizeRule + ")")
      ->check(vyre::cli::whole_number(1, 1u << 16));
  cmd.add_option("--timeout", o->timeout, "Cancel the run after this many seconds")->check(vyre::cli::positive_seconds());
  cmd.add_option("--report", o->report, "JSON report file, or - for stdout (schemas/tasklet-report.schema.json)");
  cmd.add_flag("--no-cache", o->no_cache, "Build OpenCL programs from source, bypassing the program cache");
  return [o, workers](std::stop_token stop) {
    const auto started = std::chrono::steady_clock::now();
    // Absurd worker counts fail here, before anything is read or built.
    if (workers->count() && (o->workers > grafos::kMaxWorkers || o->workers < 2)) {
      grafos::TaskletConfig early;
      early.workers = o->workers;
      grafos::validate_config(early);
    }
    vyre::check_single_stdin({{"--input", o->input}, {"TASKLET", o->tasklet}});
    vyre::OutputSet outputs;
    const size_t output = outputs.add(o->output, vyre::OutputKind::Binary, "-o");
    const size_t report_out = o->report.empty() ? 0 : outputs.add(o->report, vyre::OutputKind::Text, "--report");
    grafos::TaskletJob job({o->tasklet, o->target, {o->device, !o->no_cache, o->local_size}});
    const vyre::Bytes input = o->input.empty() ? vyre::Bytes{} : vyre::read_input(o->input);
    job.check_input(input, vyre::display_name(o->input));

    grafos::TaskletConfig config;
    // The default never exceeds a given --cores.
    config.workers = workers->count() ? o->workers
                                      : (o->cores ? std::min(job.default_workers(), o->cores) : job.default_workers());
    config.cores = o->cores;
    config.cancel = stop;
    if (o->timeout > 0)
      config.deadline = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::duration<double>(o->timeout));
    job.configure(config, input.size(), region_choice(o->regions));
    grafos::validate_config(config);

    grafos::TaskletJobRun run = job.run(config, input);
    // A one-shot run's wall time includes choosing the device and building.
    const double wall_ms = run.result.wall_ms + job.setup_ms();
    outputs.set(output, run.result.output);
    if (!o->report.empty())
      outputs.set(report_out, grafos::tasklet_report_json(job, config, input.size(), run, wall_ms).dump(2) + "\n");
    outputs.commit(stop);
    return vyre::kExitOk;
  };
}

}  // namespace grafos_cli
