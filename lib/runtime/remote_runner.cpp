#include "vyre/remote_runner.h"

#include <poll.h>

#include "server_messages.h"

namespace vyre {

using nlohmann::json;

struct RemoteRunner::State {
  std::string path, log, device;
  detail::Fd fd;
  uint32_t workgroup_size = 0;
  size_t kept_size = 0;
  std::stop_token cancel;

  // One request and its answer; the server's errors come back as the same
  // vyre::Error (message and exit code).
  json call(const json& header, std::span<const std::span<const uint8_t>> buffers, std::vector<Bytes>* out = nullptr) {
    if (fd.get() < 0)
      throw Error::usage("the connection to the dispatch server at " + path + " closed when a dispatch was stopped",
                         "connect again for the next dispatch");
    if (cancel.stop_requested()) throw Error::cancelled("the dispatch was stopped before the server ran it");
    std::optional<detail::Message> m;
    try {
      detail::send_message(fd.get(), header, buffers, path);
      // Wait in short steps so that a stop request ends the wait. The answer
      // is not read, so the connection closes: that tells the server to stop
      // the launch and give the dispatch up.
      for (;;) {
        if (cancel.stop_requested()) {
          fd = detail::Fd();
          throw Error::cancelled("the dispatch was stopped while the server ran it");
        }
        pollfd p{fd.get(), POLLIN, 0};
        if (::poll(&p, 1, 20) > 0) break;
      }
      m = detail::recv_message(fd.get(), path);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::Io) throw gone();
      throw;
    }
    if (!m) throw gone();
    if (!m->header.value("ok", false))
      throw Error::remote(Error::kind_from_variant(m->header.value("kind", "")), m->header.value("message", "server error"));
    if (out) *out = std::move(m->buffers);
    return std::move(m->header);
  }

  Error gone() const {
    return Error::io(path, "the dispatch server went away in the middle of a request",
                     std::string("run the command again (with VYRE_SERVER=auto a new server starts)") +
                         (log.empty() ? "" : "; the server's log is " + log));
  }
};

namespace {

void add_timings(DispatchTimings& into, const json& reply) {
  const auto t = reply.at("timings").get<DispatchTimings>();
  into.transfer_ms += t.transfer_ms;
  into.upload_ms += t.upload_ms;
  into.readback_ms += t.readback_ms;
  into.kernel_ms += t.kernel_ms;
}

std::span<const uint8_t> view(const Bytes& b) { return b; }

}  // namespace

RemoteRunner::RemoteRunner(std::string socket_path, const OpenClOptions& expected, std::string log)
    : s_(std::make_unique<State>()) {
  s_->path = std::move(socket_path);
  s_->log = std::move(log);
  s_->fd = detail::connect_to(s_->path);
  const json reply = s_->call({{"op", "hello"}, {"opcodes", expected.opcodes.digest()}, {"workgroup_size", expected.workgroup_size}}, {});
  s_->device = reply.at("device").get<std::string>();
  s_->workgroup_size = reply.at("workgroup_size").get<uint32_t>();
}

RemoteRunner::~RemoteRunner() = default;
std::string RemoteRunner::device_name() const { return s_->device + " via vyre serve"; }
uint32_t RemoteRunner::workgroup_size() const { return s_->workgroup_size; }
void RemoteRunner::set_cancel(std::stop_token token) { s_->cancel = std::move(token); }

void RemoteRunner::keep_start(const DispatchBuffers& start) {
  const std::span<const uint8_t> b[] = {view(start.control), view(start.ring), view(start.debug_log), view(start.io_queue)};
  s_->call({{"op", "keep_start"}}, b);
  s_->kept_size = start.ring.size();
}

void RemoteRunner::begin(DispatchBuffers& b, const DispatchOptions& options, DispatchTimings& timings) {
  // The kept ring stays on the server: only the small buffers travel.
  const bool kept = options.start_is_kept && s_->kept_size == b.ring.size();
  const std::span<const uint8_t> spans[] = {view(b.control), kept ? std::span<const uint8_t>{} : view(b.ring),
                                            view(b.debug_log), view(b.io_queue)};
  add_timings(timings, s_->call({{"op", "begin"}, {"start_is_kept", kept}}, spans));
  timings.build_cache_hit = true;  // the server built the kernel when it started
}

void RemoteRunner::launch(uint32_t iterations, std::array<uint32_t, stats::WORDS>& st, DispatchBuffers& b,
                          DispatchTimings& timings) {
  const std::span<const uint8_t> spans[] = {view(b.io_queue)};
  std::vector<Bytes> out;
  const json reply = s_->call({{"op", "launch"}, {"iterations", iterations}, {"stats", st}}, spans, &out);
  if (out.size() != 1 || out[0].size() != b.io_queue.size())
    throw Error::invalid_input(s_->path, "the server returned an IO queue of another size", "check the server");
  b.io_queue = std::move(out[0]);
  st = reply.at("stats").get<std::array<uint32_t, stats::WORDS>>();
  add_timings(timings, reply);
}

void RemoteRunner::end(DispatchBuffers& b, DispatchTimings& timings) {
  std::vector<Bytes> out;
  const json reply = s_->call({{"op", "end"}}, {}, &out);
  // A runner changes the buffers' bytes, never their sizes.
  const Bytes* before[] = {&b.control, &b.ring, &b.debug_log, &b.io_queue};
  if (out.size() != 4)
    throw Error::invalid_input(s_->path, "the server returned " + std::to_string(out.size()) + " buffers", "check the server");
  for (size_t i = 0; i < 4; ++i)
    if (out[i].size() != before[i]->size())
      throw Error::invalid_input(s_->path, "the server returned a buffer of another size", "check the server");
  b = {std::move(out[0]), std::move(out[1]), std::move(out[2]), std::move(out[3])};
  add_timings(timings, reply);
}

std::optional<TransferRates> RemoteRunner::measure_bus(size_t bytes) {
  const json reply = s_->call({{"op", "bus"}, {"bytes", bytes}}, {});
  if (reply.at("rates").is_null()) return std::nullopt;
  return reply.at("rates").get<TransferRates>();
}

std::pair<uint64_t, uint64_t> RemoteRunner::bytes_moved(const BufferSizes& sizes) {
  const json reply = s_->call({{"op", "bytes_moved"}, {"sizes", sizes}}, {});
  return {reply.at("up").get<uint64_t>(), reply.at("down").get<uint64_t>()};
}

}  // namespace vyre
