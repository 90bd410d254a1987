#include "vyre/dispatch_server.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "host_parallel.h"
#include "server_messages.h"
#include "vyre/error.h"

namespace vyre {

using nlohmann::json;
using detail::Fd;

namespace {

// Requests `source` when the client hangs up while a launch runs, so that
// a client stopped by a signal does not leave a long launch running here.
class HangupWatch {
 public:
  HangupWatch(int fd, std::stop_source source) : done_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    thread_ = std::thread([fd, source, done = done_.get()]() mutable {
      pollfd p[2] = {{fd, POLLRDHUP, 0}, {done, POLLIN, 0}};
      while (::poll(p, 2, -1) < 0 && errno == EINTR) {
      }
      if (p[0].revents & (POLLRDHUP | POLLHUP | POLLERR)) source.request_stop();
    });
  }
  ~HangupWatch() {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(done_.get(), &one, sizeof one);
    thread_.join();
  }
  HangupWatch(const HangupWatch&) = delete;
  HangupWatch& operator=(const HangupWatch&) = delete;

 private:
  Fd done_;
  std::thread thread_;
};

Bytes take_buffer(std::vector<Bytes>& buffers, size_t i) { return i < buffers.size() ? std::move(buffers[i]) : Bytes{}; }

// One client's session: messages answered in order until it closes.
class Session {
 public:
  Session(OpenClRunner& runner, std::optional<detail::WorkerPool>& pool, const ServerOptions& options, int fd,
          std::stop_token server_stop)
      : runner_(runner),
        pool_(pool),
        options_(options),
        fd_(fd),
        on_server_stop_(server_stop, [this] { cancel_.request_stop(); }) {}

  ~Session() {
    if (begun_) runner_.abandon();  // the client left mid-dispatch: buffers_ goes with this session
  }

  // The dispatches completed (end messages answered).
  uint64_t served() const { return served_; }

  void run(int wake_fd) {
    const std::string& path = options_.socket_path;
    for (;;) {
      pollfd p[2] = {{fd_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
      if (::poll(p, 2, -1) < 0 && errno != EINTR) return;
      if (p[1].revents & POLLIN) return;  // the server is stopping
      if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      std::optional<detail::Message> m = detail::recv_message(fd_, path);
      if (!m) return;
      json reply = {{"ok", true}};
      std::vector<Bytes> out;
      try {
        answer(*m, reply, out);
      } catch (const Error& e) {
        reply = {{"ok", false}, {"kind", e.variant()}, {"message", e.what()}};
        out.clear();
      } catch (const cl::Error& e) {  // below an OpenClRunner call that did not wrap it
        reply = {{"ok", false}, {"kind", "BackendError"}, {"message", std::string("OpenCL: ") + e.what()}};
        out.clear();
      } catch (const json::exception& e) {
        reply = {{"ok", false}, {"kind", "InvalidInput"}, {"message", path + ": a malformed request: " + e.what()}};
        out.clear();
      }
      std::vector<std::span<const uint8_t>> spans(out.begin(), out.end());
      detail::send_message(fd_, reply, spans, path);
      if (options_.max_requests != 0 && served_ >= options_.max_requests) return;
    }
  }

 private:
  void answer(detail::Message& m, json& reply, std::vector<Bytes>& out) {
    const std::string op = m.header.at("op").get<std::string>();
    if (op == "hello") return hello(m.header, reply);
    if (!greeted_) throw Error::invalid_input(options_.socket_path, "a request before hello", "use vyre of the same version");
    if (op == "keep_start") {
      CheckedBuffers start(buffers_of(m.buffers));
      runner_.keep_start(start.get());
      kept_ring_ = std::move(start).take().ring;
    } else if (op == "begin") {
      const bool kept = m.header.at("start_is_kept").get<bool>();
      DispatchBuffers b = buffers_of(m.buffers);
      if (kept) {
        // The kept ring comes from keep_start; the runner uploads it from
        // its own copy, this one receives the changes.
        b.ring.resize(kept_ring_.size());
        if (!pool_) pool_.emplace();
        pool_->copy(b.ring.data(), kept_ring_.data(), kept_ring_.size());
      }
      CheckedBuffers checked(std::move(b));  // checked where the buffers enter this process
      if (begun_) runner_.abandon();  // a dispatch the client gave up: its transfers end before its buffers go
      begun_ = false;
      buffers_ = std::move(checked).take();
      DispatchOptions o;
      o.start_is_kept = kept;
      DispatchTimings t;
      runner_.set_cancel(cancel_.get_token());
      runner_.begin(buffers_, o, t);
      begun_ = true;
      reply["timings"] = t;
    } else if (op == "launch") {
      if (!begun_) throw Error::invalid_input(options_.socket_path, "a launch before begin", "use vyre of the same version");
      std::array<uint32_t, stats::WORDS> st = m.header.at("stats").get<std::array<uint32_t, stats::WORDS>>();
      Bytes io = take_buffer(m.buffers, 0);
      if (io.size() != buffers_.io_queue.size())
        throw Error::invalid_input(options_.socket_path, "an IO queue of another size than the dispatch's", "check the client");
      buffers_.io_queue = std::move(io);
      DispatchTimings t;
      {
        HangupWatch watch(fd_, cancel_);
        runner_.launch(m.header.at("iterations").get<uint32_t>(), st, buffers_, t);
      }
      reply["stats"] = st;
      reply["timings"] = t;
      out.push_back(std::move(buffers_.io_queue));
      buffers_.io_queue.resize(out.back().size());
    } else if (op == "end") {
      if (!begun_) throw Error::invalid_input(options_.socket_path, "an end before begin", "use vyre of the same version");
      DispatchTimings t;
      runner_.end(buffers_, t);
      begun_ = false;
      reply["timings"] = t;
      out = {std::move(buffers_.control), std::move(buffers_.ring), std::move(buffers_.debug_log),
             std::move(buffers_.io_queue)};
      ++served_;
    } else if (op == "bus") {
      const std::optional<TransferRates> rates = runner_.measure_bus(m.header.at("bytes").get<size_t>());
      reply["rates"] = rates ? json(*rates) : json(nullptr);
    } else if (op == "bytes_moved") {
      const auto [up, down] = runner_.bytes_moved(m.header.at("sizes").get<BufferSizes>());
      reply["up"] = up;
      reply["down"] = down;
    } else {
      throw Error::invalid_input(options_.socket_path, "an unknown request \"" + op + "\"", "use vyre of the same version");
    }
  }

  void hello(const json& h, json& reply) {
    const OpenClOptions& d = options_.device;
    if (h.at("opcodes").get<std::string>() != d.opcodes.digest())
      throw Error::usage("the server at " + options_.socket_path + " runs " +
                             (d.opcodes.empty() ? std::string("no user opcodes")
                                                : "the user opcodes of " + d.opcodes.name()) +
                             ", not the ones this dispatch asks for",
                         "start `vyre serve` with the same --opcodes file, or drop --server");
    const uint32_t wg = h.at("workgroup_size").get<uint32_t>();
    if (wg != 0 && wg != runner_.workgroup_size())
      throw Error::usage("the server runs work-groups of " + std::to_string(runner_.workgroup_size()) + ", not " +
                             std::to_string(wg),
                         "start the server with --workgroup-size " + std::to_string(wg));
    greeted_ = true;
    reply["device"] = runner_.device_name();
    reply["workgroup_size"] = runner_.workgroup_size();
  }

  static DispatchBuffers buffers_of(std::vector<Bytes>& b) {
    return {take_buffer(b, 0), take_buffer(b, 1), take_buffer(b, 2), take_buffer(b, 3)};
  }

  OpenClRunner& runner_;
  std::optional<detail::WorkerPool>& pool_;  // the server's, made on first use
  const ServerOptions& options_;
  int fd_;
  std::stop_source cancel_;
  std::stop_callback<std::function<void()>> on_server_stop_;
  bool greeted_ = false, begun_ = false;
  DispatchBuffers buffers_;
  Bytes kept_ring_;
  uint64_t served_ = 0;
};

}  // namespace

bool dispatch_server_answers(const std::string& socket_path) { return detail::server_answers(socket_path); }

uint64_t serve_dispatch(const ServerOptions& options, std::stop_token stop) {
  const std::string& path = options.socket_path;
  OpenClRunner runner(options.device);
  std::optional<detail::WorkerPool> pool;
  Fd listener = detail::listen_on(path);
  if (options.log) options.log("listening on " + path);

  // A stop request wakes the poll at once through this descriptor.
  Fd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (wake.get() < 0) throw Error::io(path, "eventfd failed", "check the system's limits on open files");
  std::stop_callback on_stop(stop, [fd = wake.get()] {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(fd, &one, sizeof one);
  });

  uint64_t served = 0;
  auto last = std::chrono::steady_clock::now();
  while (!stop.stop_requested() && (options.max_requests == 0 || served < options.max_requests)) {
    pollfd p[2] = {{listener.get(), POLLIN, 0}, {wake.get(), POLLIN, 0}};
    int timeout_ms = -1;
    if (options.idle_exit.count() > 0) {
      const auto left = options.idle_exit - (std::chrono::steady_clock::now() - last);
      if (left <= std::chrono::steady_clock::duration::zero()) break;
      timeout_ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
    }
    const int ready = ::poll(p, 2, timeout_ms);
    if (ready <= 0 || !(p[0].revents & POLLIN)) continue;
    Fd client(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (client.get() < 0) continue;
    if (detail::peer_uid(client.get()) != ::geteuid()) {
      if (options.log) options.log("refused a connection from another user");
      continue;
    }
    ServerOptions session_options = options;
    if (options.max_requests != 0) session_options.max_requests = options.max_requests - served;
    Session session(runner, pool, session_options, client.get(), stop);
    try {
      session.run(wake.get());
    } catch (const std::exception& e) {
      // A client that vanished or spoke garbage does not stop the server.
      if (options.log) options.log(std::string("session failed: ") + e.what());
    }
    served += session.served();
    last = std::chrono::steady_clock::now();
  }
  // Gone from the path before the last descriptor closes: a client that
  // finds no socket starts a new server instead of queueing on this one.
  ::unlink(path.c_str());
  return served;
}

}  // namespace vyre
