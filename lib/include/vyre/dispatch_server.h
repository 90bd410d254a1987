// A dispatch server: a process that keeps an OpenCL context, the built
// megakernel and its device buffers, so that a `vyre dispatch`, `bench` or
// `replay` on it pays neither the driver's context creation (about 230 ms
// on NVIDIA's driver) nor the program load. A client drives it as a remote
// PassRunner (remote_runner.h): the launches run here, the IO pump and the
// resource files stay with the client. One client at a time, over a Unix
// socket created owner-only; a connection from another user is refused.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>

#include "vyre/opencl_dispatch.h"

namespace vyre {

struct ServerOptions {
  std::string socket_path;
  OpenClOptions device;
  uint64_t max_requests = 0;  // dispatches; 0: until stopped
  std::chrono::seconds idle_exit{0};  // 0: never
  // Told about sessions that failed below the dispatch (a client that went
  // away, a malformed message) and, once, that the socket is listening; the
  // library itself prints nothing.
  std::function<void(const std::string&)> log;
};

// Serves until `stop` is requested, max_requests dispatches are served, or
// the idle time passes with no client. Returns the dispatches served.
uint64_t serve_dispatch(const ServerOptions& options, std::stop_token stop);

// Whether a server listens at `socket_path` (a connection closed before its
// first byte, which a server takes for a probe).
bool dispatch_server_answers(const std::string& socket_path);

}  // namespace vyre
