#include <iostream>

#include "subcommands.h"
#include "vyre/dispatch_server.h"

namespace vyre::cli {

Runner setup_serve(CLI::App& cmd) {
  struct Options {
    std::string socket, opcodes;
    OpenClOptions device;
    uint64_t max_requests = 0;
    uint32_t idle_exit = 0;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("--socket", o->socket, "Unix socket to listen on (created owner-only)")->required()->check(non_empty());
  add_device_option(cmd, o->device.device_selector);
  cmd.add_option("--workgroup-size", o->device.workgroup_size, "Work-items per group for every dispatch")
      ->check(whole_number(1, 1u << 16));
  cmd.add_option("--max-requests", o->max_requests, "Exit after serving this many dispatches")
      ->check(whole_number(0, UINT64_MAX));
  cmd.add_option("--idle-exit", o->idle_exit, "Exit after this many seconds without a request")
      ->check(whole_number(0, UINT32_MAX));
  add_no_cache_flag(cmd, o->device.use_cache);
  cmd.add_option("--opcodes", o->opcodes, "OpenCL C bodies of user opcodes for every dispatch (see vyre-opcodes(7))");
  return [o](std::stop_token stop) {
    if (!o->opcodes.empty()) o->device.opcodes = UserOpcodes::load(o->opcodes);
    // SIGINT and SIGTERM stop the token (see run_tool); the server then
    // finishes the request in hand, removes its socket and exits.
    ServerOptions options{o->socket, o->device, o->max_requests,
                          std::chrono::seconds(o->idle_exit),
                          [](const std::string& line) { std::cerr << "vyre serve: " << line << "\n"; }};
    const uint64_t served = serve_dispatch(options, stop);
    std::cerr << "vyre serve: served " << served << " dispatch(es), exiting\n";
    // Stopped by a signal: the exit status says which (run_tool).
    if (stop.stop_requested()) throw Error::cancelled("stopped by a signal");
    return kExitOk;
  };
}

}  // namespace vyre::cli
