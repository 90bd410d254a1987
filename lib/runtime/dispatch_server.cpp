#include "vyre/dispatch_server.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "vyre/detail/words.h"
#include "vyre/error.h"

namespace vyre {

// The messages' JSON: one definition serves both directions.
NLOHMANN_JSON_SERIALIZE_ENUM(DispatchMode, {{DispatchMode::Once, "once"}, {DispatchMode::Persistent, "persistent"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(IoServiced, pass, io_slot, resource_id, file, ok, bytes, error)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DispatchTimings, device_ms, build_ms, transfer_ms, kernel_ms, total_ms,
                                   build_cache_hit)
// Everything but the buffers, which travel as binary after the JSON.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DispatchResult, faults, passes, launches, io, timings, backend, device,
                                   workgroup_size, io_stalled_waiting, io_stalled_queue_full)

namespace {

using nlohmann::json;
constexpr char kMagic[4] = {'V', 'Y', 'R', 'S'};
constexpr uint32_t kVersion = 1;
constexpr uint64_t kMaxJson = 16u << 20;
// Larger than any buffer a dispatch accepts (a 1,048,576-slot ring is 64 MiB).
constexpr uint64_t kMaxBuffer = 1ull << 32;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Error socket_error(const std::string& path, const std::string& what) {
  return Error::io(path, what + ": " + std::strerror(errno), "check the socket path and that the server is running");
}

void send_all(int fd, const void* data, size_t size, const std::string& path) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw socket_error(path, "send failed");
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void recv_all(int fd, void* data, size_t size, const std::string& path) {
  auto* p = static_cast<uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::recv(fd, p, size, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) throw Error::io(path, "the peer closed the connection mid-message", "retry; check the server's log");
    if (n < 0) throw socket_error(path, "recv failed");
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void send_message(int fd, const json& header, const std::vector<const Bytes*>& buffers, const std::string& path) {
  const std::string text = header.dump();
  uint8_t head[20];
  std::memcpy(head, kMagic, 4);
  detail::store_u32(head + 4, kVersion);
  detail::store_u64(head + 8, text.size());
  detail::store_u32(head + 16, static_cast<uint32_t>(buffers.size()));
  // The count goes after the JSON on the wire; assemble in order.
  send_all(fd, head, 16, path);
  send_all(fd, text.data(), text.size(), path);
  send_all(fd, head + 16, 4, path);
  for (const Bytes* b : buffers) {
    uint8_t len[8];
    detail::store_u64(len, b->size());
    send_all(fd, len, 8, path);
    send_all(fd, b->data(), b->size(), path);
  }
}

json recv_message(int fd, std::vector<Bytes>& buffers, const std::string& path) {
  uint8_t head[16];
  recv_all(fd, head, 16, path);
  if (std::memcmp(head, kMagic, 4) != 0 || detail::load_u32(head + 4) != kVersion)
    throw Error::invalid_input(path, "not a vyre dispatch server message (magic or version)",
                               "use a vyre serve of the same vyre-tools version");
  const uint64_t json_len = detail::load_u64(head + 8);
  if (json_len > kMaxJson) throw Error::invalid_input(path, "message header too large", "check the peer");
  std::string text(json_len, '\0');
  recv_all(fd, text.data(), json_len, path);
  uint8_t count_bytes[4];
  recv_all(fd, count_bytes, 4, path);
  const uint32_t count = detail::load_u32(count_bytes);
  if (count > 4) throw Error::invalid_input(path, "more than 4 buffers in a message", "check the peer");
  buffers.assign(count, {});
  for (auto& b : buffers) {
    uint8_t len[8];
    recv_all(fd, len, 8, path);
    const uint64_t n = detail::load_u64(len);
    if (n > kMaxBuffer) throw Error::invalid_input(path, "buffer of " + std::to_string(n) + " bytes", "check the peer");
    b.resize(n);
    recv_all(fd, b.data(), n, path);
  }
  return json::parse(text);
}

sockaddr_un address_of(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof a.sun_path)
    throw Error::usage("socket path " + path + " is too long for a Unix socket", "use a shorter path");
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return a;
}

Fd connect_to(const std::string& path) {
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) throw socket_error(path, "socket failed");
  const sockaddr_un a = address_of(path);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0)
    throw Error::io(path, std::string("no dispatch server answers: ") + std::strerror(errno),
                    "start one with `vyre serve --socket " + path + "`");
  return fd;
}

// What a request carries besides the buffers: the dispatch options that
// cross the socket (the stop token and the runner stay on their side).
struct ServerRequest {
  DispatchMode mode = DispatchMode::Once;
  uint32_t max_iterations = 1;
  uint32_t workgroup_size = 0;
  ResourceMap resources;
  std::string opcodes = "none";  // the digest of the user opcodes the client expects
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ServerRequest, mode, max_iterations, workgroup_size, resources, opcodes)

}  // namespace

uint64_t serve_dispatch(const ServerOptions& options, std::stop_token stop) {
  const std::string& path = options.socket_path;
  OpenClRunner runner(options.device);
  // A live server on the path is an error; a stale socket file is replaced.
  try {
    connect_to(path);
    throw Error::usage("a dispatch server already listens on " + path, "stop it or choose another --socket");
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Usage) throw;
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode))
      throw Error::usage(path + " exists and is not a socket", "choose another --socket path");
    ::unlink(path.c_str());
  }
  Fd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (listener.get() < 0) throw socket_error(path, "socket failed");
  const sockaddr_un a = address_of(path);
  const mode_t old_mask = ::umask(0077);  // owner-only: the socket runs code on this user's device
  const int bound = ::bind(listener.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a);
  ::umask(old_mask);
  if (bound != 0)
    throw Error::io(path, std::string("cannot listen here: ") + std::strerror(errno),
                    "choose a --socket path in a directory you can write");
  if (::listen(listener.get(), 8) != 0) throw socket_error(path, "listen failed");
  if (options.log) options.log("listening on " + path);

  // A stop request wakes the poll at once through this descriptor.
  Fd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (wake.get() < 0) throw socket_error(path, "eventfd failed");
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
    // A connection closed before its first byte is a probe (another
    // `vyre serve` checking whether this one is alive), not a failed request.
    char first = 0;
    if (::recv(client.get(), &first, 1, MSG_PEEK) == 0) continue;
    last = std::chrono::steady_clock::now();
    try {
      std::vector<Bytes> b;
      const json req = recv_message(client.get(), b, path);
      json reply;
      std::vector<Bytes> out;
      try {
        if (b.size() != 4) throw Error::invalid_input(path, "a dispatch needs 4 buffers", "use vyre dispatch --server");
        const auto request = req.get<ServerRequest>();
        if (request.opcodes != options.device.opcodes.digest())
          throw Error::usage("the server at " + path + " runs " +
                                 (options.device.opcodes.empty() ? std::string("no user opcodes")
                                                                 : "the user opcodes of " + options.device.opcodes.name()) +
                                 ", not the ones this dispatch asks for",
                             "start `vyre serve` with the same --opcodes file, or drop --server");
        if (request.workgroup_size != 0 && request.workgroup_size != runner.workgroup_size())
          throw Error::usage("the server runs work-groups of " + std::to_string(runner.workgroup_size()) + ", not " +
                                 std::to_string(request.workgroup_size),
                             "start the server with --workgroup-size " + std::to_string(request.workgroup_size));
        DispatchOptions o;
        o.mode = request.mode;
        o.max_iterations = request.max_iterations;
        o.resources = request.resources;
        o.cancel = stop;  // a signal stops the request in hand too
        // Checked here, where the buffers enter this process.
        CheckedBuffers buffers(DispatchBuffers{std::move(b[0]), std::move(b[1]), std::move(b[2]), std::move(b[3])});
        DispatchResult r = run_dispatch(runner, std::move(buffers), o);
        // The context and the kernel were made when the server started.
        r.device += " via vyre serve";
        r.timings.device_ms = r.timings.build_ms = 0;
        r.timings.build_cache_hit = true;
        reply = r;
        reply["ok"] = true;
        out = {std::move(r.buffers.control), std::move(r.buffers.ring), std::move(r.buffers.debug_log),
               std::move(r.buffers.io_queue)};
      } catch (const Error& e) {
        reply = {{"ok", false}, {"kind", e.variant()}, {"message", e.what()}};
      }
      std::vector<const Bytes*> ptrs;
      for (const auto& x : out) ptrs.push_back(&x);
      send_message(client.get(), reply, ptrs, path);
      ++served;
    } catch (const std::exception& e) {
      // A client that vanished or spoke garbage does not stop the server.
      if (options.log) options.log(std::string("request failed: ") + e.what());
    }
  }
  ::unlink(path.c_str());
  return served;
}

DispatchResult dispatch_via_server(const std::string& path, const CheckedBuffers& checked,
                                   const DispatchOptions& options, const std::string& opcodes) {
  const DispatchBuffers& buffers = checked.get();
  Fd fd = connect_to(path);
  const json req = ServerRequest{options.mode, options.max_iterations, options.workgroup_size, options.resources, opcodes};
  send_message(fd.get(), req, {&buffers.control, &buffers.ring, &buffers.debug_log, &buffers.io_queue}, path);
  std::vector<Bytes> b;
  const json reply = recv_message(fd.get(), b, path);
  if (!reply.value("ok", false))
    throw Error::remote(Error::kind_from_variant(reply.value("kind", "")), reply.value("message", "server error"));
  if (b.size() != 4) throw Error::invalid_input(path, "the server returned " + std::to_string(b.size()) + " buffers", "check the server");
  auto r = reply.get<DispatchResult>();
  r.buffers = {std::move(b[0]), std::move(b[1]), std::move(b[2]), std::move(b[3])};
  return r;
}

}  // namespace vyre
