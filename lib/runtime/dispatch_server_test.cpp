// The dispatch server when its clients give dispatches up: a client that
// begins a dispatch again without ending it, and one stopped between begin
// and its first launch, which leaves mid-dispatch.
// The server's runner may still be uploading the given-up dispatch's ring
// from the session's copy of the buffers (a runner's first dispatch reads
// them in place), so the session must wait for that before the copy goes.
// Under AddressSanitizer a session that does not is a use after free.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <stop_token>
#include <thread>

#include "ring_generator.h"
#include "vyre/dispatch_server.h"
#include "vyre/error.h"
#include "vyre/reference_interpreter.h"
#include "vyre/remote_runner.h"

using namespace vyre;

namespace {

// A dispatch stopped after begin(): run_dispatch checks the token before
// its first launch.
void give_up_after_begin(PassRunner& runner, const DispatchBuffers& b) {
  std::stop_source stop;
  stop.request_stop();
  DispatchOptions o;
  o.cancel = stop.get_token();
  try {
    run_dispatch(runner, CheckedBuffers(b), o);
    FAIL("a stopped dispatch ran");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Cancelled);
  }
}

}  // namespace

TEST_CASE("a server session waits for the transfers of a dispatch its client gave up") {
  const auto dir = std::filesystem::temp_directory_path() / ("vyre_server_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string resource = (dir / "resource.bin").string();
  std::ofstream(resource, std::ios::binary) << "resource bytes";
  ServerOptions options;
  options.socket_path = (dir / "server.sock").string();
  options.device.workgroup_size = 64;

  // The server runs on this thread, the clients on another: a thread that
  // built a program on PoCL carries LLVM's signal stack, which
  // AddressSanitizer fails to unmap when that thread exits.
  std::stop_source stop_server;
  std::exception_ptr failure;
  std::jthread clients([&](std::stop_token stop) {
    try {
      while (!dispatch_server_answers(options.socket_path)) {
        if (stop.stop_requested()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      testing::RingGenerator gen(11, resource);
      ReferenceRunner reference(64);
      auto check_dispatch = [&](PassRunner& runner) {
        // 131,073 slots: over the 8 MiB from which begin() uploads in chunks.
        const testing::GeneratedRing g = gen.next(131073, false);
        const DispatchResult want = run_dispatch(reference, CheckedBuffers(g.buffers), {});
        const DispatchResult got = run_dispatch(runner, CheckedBuffers(g.buffers), {});
        CHECK(got.buffers.ring == want.buffers.ring);
        CHECK(got.buffers.control == want.buffers.control);
      };
      {
        RemoteRunner client(options.socket_path, options.device);
        DispatchBuffers first = gen.next(262144, false).buffers;
        DispatchTimings timings;
        client.begin(first, {}, timings);
        check_dispatch(client);  // its begin gives the first dispatch up
        // Stopped while the server begins it: the client closes the
        // connection, and the session ends with that dispatch begun.
        give_up_after_begin(client, gen.next(262144, false).buffers);
        try {
          check_dispatch(client);
          FAIL("a closed connection dispatched");
        } catch (const Error& e) {
          CHECK(std::string(e.what()).find("closed when a dispatch was stopped") != std::string::npos);
        }
      }
      for (int i = 0; i < 2; ++i) {
        RemoteRunner client(options.socket_path, options.device);
        check_dispatch(client);
      }
    } catch (...) {
      failure = std::current_exception();
    }
    stop_server.request_stop();
  });
  serve_dispatch(options, stop_server.get_token());
  clients.join();
  std::filesystem::remove_all(dir);
  if (failure) std::rethrow_exception(failure);
}
