// VYRE_SERVER=auto: a private dispatch server started on first use and
// reused by later commands, so that a pipeline of many dispatches creates
// the device's context once. One server per user and per set of device
// choices (the --device selector, the work-group size, the user opcodes'
// digest, the program cache setting, the environment that picks devices and
// this executable); it exits after an idle time.
#pragma once

#include <chrono>
#include <filesystem>
#include <stop_token>
#include <string>

#include "vyre/opencl_dispatch.h"

namespace vyre {

struct AutoServerRequest {
  std::string executable;    // the vyre tool to run as `EXECUTABLE serve ...`
  OpenClOptions device;      // what the server must run
  std::string opcodes_path;  // the file device.opcodes came from; empty: none
  std::chrono::seconds idle_exit{60};
};

struct AutoServer {
  std::string socket, log;
};

// Where this user's servers live: $XDG_RUNTIME_DIR/vyre when that directory
// is this user's and private, else /tmp/vyre-UID (created 0700). A directory
// another user owns, or that others can enter, is refused (Io) rather than
// used.
std::filesystem::path auto_server_directory();

// The socket of a running server for `request`, started (and waited for
// until it listens) when none answers. Concurrent callers start one server
// between them (a lock file beside the socket). A server that fails to
// start is an error quoting the end of its log.
AutoServer ensure_auto_server(const AutoServerRequest& request, std::stop_token stop);

}  // namespace vyre
