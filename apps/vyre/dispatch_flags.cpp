#include "dispatch_flags.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace vyre::cli {

void add_dispatch_flags(CLI::App& cmd, DispatchInputs& in, bool with_ring) {
  if (with_ring) {
    auto* ring = cmd.add_option("--ring", in.ring, "Ring buffer file, or - for stdin");
    auto* spec = cmd.add_option("--ring-spec", in.ring_spec, "JSON ring spec (see vyre encode-ring), or - for stdin");
    ring->excludes(spec);
  }
  cmd.add_option("--control", in.control, "Control buffer (default: 1 tenant, 16 observables)");
  cmd.add_option("--debug-log", in.debug_log, "Debug-log buffer (default: 64 records)");
  cmd.add_option("--io-queue", in.io_queue, "IO queue buffer (default: 64 slots)");
  add_choice_option(cmd, "--backend", in.backend.backend, {{"opencl", Backend::OpenCl}, {"reference", Backend::Reference}},
                    "opencl or reference (the CPU interpreter)");
  add_device_option(cmd, in.backend.opencl.device_selector);
  add_choice_option(cmd, "--mode", in.mode, {{"once", DispatchMode::Once}, {"persistent", DispatchMode::Persistent}},
                    "once: each lane drains its slot once (repeated while IO is pending); persistent: lanes loop "
                    "until SHUTDOWN or --max-iterations");
  cmd.add_option("--max-iterations", in.max_iterations, "Iterations per launch in persistent mode")
      ->check(whole_number(1, 1u << 20))
      ->capture_default_str();
  cmd.add_option("--workgroup-size", in.backend.opencl.workgroup_size,
                 "Work-items per group (default: min(256, the kernel's limit))")
      ->check(whole_number(1, 1u << 16));
  cmd.add_option("--resources", in.resources, "JSON map of LOAD_MISS resource ids to files: {\"7\": \"data.bin\"}");
  cmd.add_option("--opcodes", in.opcodes,
                 "OpenCL C bodies of user opcodes, VYRE_OPCODE(N) { ... } (see vyre-opcodes(7); OpenCL backend)");
  add_no_cache_flag(cmd, in.backend.opencl.use_cache);
  cmd.add_option("--server", in.server,
                 "Run on the `vyre serve` at this socket, or auto: a private server started on first use (default "
                 "$VYRE_SERVER when set)");
}

void apply_server_environment(DispatchInputs& in, bool local_only) {
  if (const char* idle = std::getenv("VYRE_SERVER_IDLE_EXIT"); idle && *idle) {
    uint32_t seconds = 0;
    const char* end = idle + std::strlen(idle);
    const auto [ptr, ec] = std::from_chars(idle, end, seconds);
    if (ec != std::errc() || ptr != end || seconds == 0 || seconds > 86400)
      throw Error::usage(std::string("VYRE_SERVER_IDLE_EXIT=") + idle + " is not a number of seconds from 1 to 86400",
                         "set it to, say, 60, or unset it");
    in.server_idle_exit = std::chrono::seconds(seconds);
  }
  if (!in.server.empty() || local_only || in.backend.backend != Backend::OpenCl) return;
  const char* env = std::getenv("VYRE_SERVER");
  if (env == nullptr || *env == '\0') return;
  // A server at a fixed socket chose its device when it started: --device
  // runs here instead. An auto server is chosen by the device flags.
  if (std::string_view(env) == "auto" || in.backend.opencl.device_selector.empty()) in.server = env;
}

}  // namespace vyre::cli
