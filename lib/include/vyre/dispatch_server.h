// A dispatch server: a process that keeps an OpenCL context and the built
// megakernel, so that each `vyre dispatch --server` pays neither the
// driver's context creation (about 230 ms on NVIDIA's driver) nor the
// program load. One client at a time, over a Unix socket created with
// owner-only permissions.
//
// Wire format (this project's own, versioned): a message is the magic
// "VYRS", a u32 version, a u64 JSON length, the JSON, a u32 buffer count and
// for each buffer a u64 length and its bytes; all integers little-endian.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>

#include "vyre/dispatch.h"
#include "vyre/opencl_dispatch.h"

namespace vyre {

struct ServerOptions {
  std::string socket_path;
  OpenClOptions device;
  uint64_t max_requests = 0;  // 0: until stopped
  std::chrono::seconds idle_exit{0};  // 0: never
  // Told about requests that failed below the dispatch (a client that went
  // away, a malformed message) and, once, that the socket is listening; the
  // library itself prints nothing.
  std::function<void(const std::string&)> log;
};

// Serves until `stop` is requested, max_requests are served, or the idle
// time passes. Prints nothing; returns the number of requests served.
uint64_t serve_dispatch(const ServerOptions& options, std::stop_token stop);

// Runs a dispatch on the server at `socket_path`. Errors the server reports
// come back as the same vyre::Error (message and exit code). `opcodes` is
// the digest of the user opcodes the caller expects (UserOpcodes::digest);
// a server built with others refuses the dispatch.
DispatchResult dispatch_via_server(const std::string& socket_path, const CheckedBuffers& buffers,
                                   const DispatchOptions& options, const std::string& opcodes = "none");

}  // namespace vyre
