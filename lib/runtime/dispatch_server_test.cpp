// The dispatch server when its clients give dispatches up. A server's first
// dispatch uploads its ring from the session's copy of the buffers, in
// chunks that run on after begin returns, so each scenario starts a fresh
// server: a session that let that copy go before the upload ended would be
// a use after free (AddressSanitizer reports one without the session's
// abandon() calls).
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stop_token>
#include <thread>

#include "ring_generator.h"
#include "vyre/dispatch_server.h"
#include "vyre/error.h"
#include "vyre/protocol.h"
#include "vyre/reference_interpreter.h"
#include "vyre/remote_runner.h"

using namespace vyre;

namespace {

// Just over the 8 MiB from which begin() uploads a ring in chunks.
constexpr uint32_t kChunkedSlots = 131073;
// The largest ring an encoder writes, 64 MiB: its upload outlasts a round
// trip to the server.
constexpr uint32_t kLargeSlots = protocol::MAX_ENCODED_RING_SLOTS;

struct Scenario {
  std::string socket_path;
  OpenClOptions device;
  testing::RingGenerator& gen;
};

// Runs `clients` against a fresh server. The server runs on this thread,
// the clients on another: a thread that built a program on PoCL carries
// LLVM's signal stack, which AddressSanitizer fails to unmap when that
// thread exits.
void with_fresh_server(int id, testing::RingGenerator& gen, const std::function<void(Scenario&)>& clients) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("vyre_server_test_" + std::to_string(::getpid()) + "_" + std::to_string(id));
  std::filesystem::create_directories(dir);
  ServerOptions options;
  options.socket_path = (dir / "server.sock").string();
  options.device.workgroup_size = 64;
  std::stop_source stop_server;
  std::exception_ptr failure;
  std::jthread client_thread([&](std::stop_token stop) {
    try {
      while (!dispatch_server_answers(options.socket_path)) {
        if (stop.stop_requested()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      Scenario s{options.socket_path, options.device, gen};
      clients(s);
    } catch (...) {
      failure = std::current_exception();
    }
    stop_server.request_stop();
  });
  serve_dispatch(options, stop_server.get_token());
  client_thread.join();
  std::filesystem::remove_all(dir);
  if (failure) std::rethrow_exception(failure);
}

// A dispatch of a chunked ring gives the reference interpreter's ring and
// control words.
void check_dispatch(PassRunner& runner, testing::RingGenerator& gen) {
  const testing::GeneratedRing g = gen.next(kChunkedSlots, false);
  ReferenceRunner reference(64);
  const DispatchResult want = run_dispatch(reference, CheckedBuffers(g.buffers), {});
  const DispatchResult got = run_dispatch(runner, CheckedBuffers(g.buffers), {});
  CHECK(got.buffers.ring == want.buffers.ring);
  CHECK(got.buffers.control == want.buffers.control);
}

}  // namespace

TEST_CASE("a dispatch server waits for the transfers of dispatches its clients give up or end early") {
  const auto resource = std::filesystem::temp_directory_path() / "vyre_server_test_resource.bin";
  std::ofstream(resource, std::ios::binary) << "resource bytes";
  testing::RingGenerator gen(11, resource.string());

  SUBCASE("begun again without an end") {
    with_fresh_server(0, gen, [](Scenario& s) {
      RemoteRunner client(s.socket_path, s.device);
      // A small ring next, whose begin follows while the first one's 64 MiB
      // are still on their way.
      const testing::GeneratedRing next = s.gen.next(1000, false);
      ReferenceRunner reference(64);
      const DispatchResult want = run_dispatch(reference, CheckedBuffers(next.buffers), {});
      DispatchBuffers first = s.gen.next(kLargeSlots, false).buffers;
      DispatchTimings timings;
      client.begin(first, {}, timings);
      const DispatchResult got = run_dispatch(client, CheckedBuffers(next.buffers), {});
      CHECK(got.buffers.ring == want.buffers.ring);
      CHECK(got.buffers.control == want.buffers.control);
    });
  }
  SUBCASE("begun and ended without a launch") {
    with_fresh_server(3, gen, [](Scenario& s) {
      RemoteRunner client(s.socket_path, s.device);
      const DispatchBuffers start = s.gen.next(kChunkedSlots, false).buffers;
      DispatchBuffers b = start;
      DispatchTimings timings;
      client.begin(b, {}, timings);
      client.end(b, timings);  // no pass ran: the buffers come back as they went
      CHECK(b.ring == start.ring);
      CHECK(b.control == start.control);
      check_dispatch(client, s.gen);
    });
  }
  SUBCASE("a client that leaves with a dispatch begun") {
    with_fresh_server(1, gen, [](Scenario& s) {
      {
        RemoteRunner client(s.socket_path, s.device);
        DispatchBuffers first = s.gen.next(4 * kChunkedSlots, false).buffers;
        DispatchTimings timings;
        client.begin(first, {}, timings);
      }
      RemoteRunner next(s.socket_path, s.device);
      check_dispatch(next, s.gen);
    });
  }
  SUBCASE("a client stopped while the server runs its launch") {
    with_fresh_server(2, gen, [](Scenario& s) {
      RemoteRunner client(s.socket_path, s.device);
      std::stop_source stop;
      DispatchOptions o;
      o.cancel = stop.get_token();
      o.mode = DispatchMode::Persistent;
      o.max_iterations = 1'000'000;  // minutes of passes: the stop comes first
      std::jthread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        stop.request_stop();
      });
      try {
        run_dispatch(client, CheckedBuffers(s.gen.next(1000, false).buffers), o);
        FAIL("a stopped dispatch ran to its end");
      } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::Cancelled);
        CHECK(std::string(e.what()).find("while the server ran it") != std::string::npos);
      }
      // The answer to that launch was never read: the connection is closed,
      // not left to hand it to the next request.
      try {
        check_dispatch(client, s.gen);
        FAIL("a closed connection dispatched");
      } catch (const Error& e) {
        CHECK(std::string(e.what()).find("closed when a dispatch was stopped") != std::string::npos);
      }
      RemoteRunner next(s.socket_path, s.device);
      check_dispatch(next, s.gen);
    });
  }
  std::filesystem::remove(resource);
}
