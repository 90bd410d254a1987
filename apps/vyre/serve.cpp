#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <iostream>
#include <thread>

#include "subcommands.h"
#include "vyre/dispatch_server.h"
#include "vyre/error.h"

namespace vyre::cli {

Runner setup_serve(CLI::App& cmd) {
  struct Options {
    std::string socket, device;
    uint32_t workgroup_size = 0;
    uint64_t max_requests = 0;
    uint32_t idle_exit = 0;
    bool no_cache = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("--socket", o->socket, "Unix socket to listen on (created owner-only)")->required();
  cmd.add_option("--device", o->device, "OpenCL device (as vyre dispatch --device)");
  cmd.add_option("--workgroup-size", o->workgroup_size, "Work-items per group for every dispatch");
  cmd.add_option("--max-requests", o->max_requests, "Exit after serving this many dispatches");
  cmd.add_option("--idle-exit", o->idle_exit, "Exit after this many seconds without a request");
  cmd.add_flag("--no-cache", o->no_cache, "Build the kernel from source, bypassing the program cache");
  return [o] {
    // SIGINT and SIGTERM end the server cleanly (the socket file is
    // removed). They are blocked and read from a signalfd by a watcher that
    // polls, so it also ends when the server stops for another reason.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    const int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    if (sfd < 0) throw Error::io("signalfd", std::strerror(errno), "run on Linux");
    std::stop_source stop;
    std::jthread watcher([sfd, &stop](std::stop_token self) {
      while (!self.stop_requested()) {
        pollfd p{sfd, POLLIN, 0};
        if (poll(&p, 1, 100) > 0) {
          signalfd_siginfo info;
          if (read(sfd, &info, sizeof info) > 0) stop.request_stop();
          return;
        }
      }
    });
    ServerOptions options{o->socket, {o->device, !o->no_cache, o->workgroup_size}, o->max_requests,
                          std::chrono::seconds(o->idle_exit),
                          [](const std::string& line) { std::cerr << "vyre serve: " << line << "\n"; }};
    std::cerr << "vyre serve: listening on " << o->socket << "\n";
    uint64_t served = 0;
    try {
      served = serve_dispatch(options, stop.get_token());
    } catch (...) {
      watcher.request_stop();
      watcher.join();
      close(sfd);
      throw;
    }
    watcher.request_stop();
    watcher.join();
    close(sfd);
    std::cerr << "vyre serve: served " << served << " dispatch(es), exiting\n";
    return kExitOk;
  };
}

}  // namespace vyre::cli
