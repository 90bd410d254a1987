#include "server_messages.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "vyre/detail/words.h"

namespace vyre::detail {

namespace {

constexpr char kMagic[4] = {'V', 'Y', 'R', 'S'};
constexpr uint64_t kMaxJson = 16u << 20;
constexpr uint32_t kMaxBuffers = 4;
// Larger than any buffer a dispatch accepts (a 1,048,576-slot ring is 64 MiB).
constexpr uint64_t kMaxBuffer = 1ull << 32;

Error socket_error(const std::string& path, const std::string& what) {
  return Error::io(path, what + ": " + std::strerror(errno), "check the socket path and that the server is running");
}

Error closed_mid_message(const std::string& path) {
  return Error::io(path, "the other side closed the connection in the middle of a message",
                   "run the command again; if a server stopped, see its log");
}

void send_all(int fd, const void* data, size_t size, const std::string& path) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) throw closed_mid_message(path);
    if (n <= 0) throw socket_error(path, "send failed");
    p += n;
    size -= static_cast<size_t>(n);
  }
}

// False when the peer closed before the first byte and `clean_eof` allows it.
bool recv_all(int fd, void* data, size_t size, const std::string& path, bool clean_eof = false) {
  auto* p = static_cast<uint8_t*>(data);
  const size_t want = size;
  while (size > 0) {
    const ssize_t n = ::recv(fd, p, size, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (n < 0 && errno == ECONNRESET)) {
      if (clean_eof && size == want) return false;
      throw closed_mid_message(path);
    }
    if (n < 0) throw socket_error(path, "recv failed");
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

sockaddr_un address_of(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof a.sun_path)
    throw Error::usage("socket path " + path + " is too long for a Unix socket", "use a shorter path");
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return a;
}

}  // namespace

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

void send_message(int fd, const nlohmann::json& header, std::span<const std::span<const uint8_t>> buffers,
                  const std::string& path) {
  const std::string text = header.dump();
  uint8_t head[16];
  std::memcpy(head, kMagic, 4);
  store_u32(head + 4, kServerProtocolVersion);
  store_u64(head + 8, text.size());
  send_all(fd, head, sizeof head, path);
  send_all(fd, text.data(), text.size(), path);
  uint8_t count[4];
  store_u32(count, static_cast<uint32_t>(buffers.size()));
  send_all(fd, count, sizeof count, path);
  for (std::span<const uint8_t> b : buffers) {
    uint8_t len[8];
    store_u64(len, b.size());
    send_all(fd, len, sizeof len, path);
    send_all(fd, b.data(), b.size(), path);
  }
}

std::optional<Message> recv_message(int fd, const std::string& path) {
  uint8_t head[16];
  if (!recv_all(fd, head, sizeof head, path, true)) return std::nullopt;
  if (std::memcmp(head, kMagic, 4) != 0 || load_u32(head + 4) != kServerProtocolVersion)
    throw Error::invalid_input(path, "not a message of this version of the vyre dispatch server (magic or version)",
                               "use a vyre serve and a vyre of the same vyre-tools version");
  const uint64_t json_len = load_u64(head + 8);
  if (json_len > kMaxJson) throw Error::invalid_input(path, "message header too large", "check the peer");
  std::string text(json_len, '\0');
  recv_all(fd, text.data(), json_len, path);
  uint8_t count_bytes[4];
  recv_all(fd, count_bytes, sizeof count_bytes, path);
  const uint32_t count = load_u32(count_bytes);
  if (count > kMaxBuffers) throw Error::invalid_input(path, "more than 4 buffers in a message", "check the peer");
  Message m;
  m.buffers.resize(count);
  for (Bytes& b : m.buffers) {
    uint8_t len[8];
    recv_all(fd, len, sizeof len, path);
    const uint64_t n = load_u64(len);
    if (n > kMaxBuffer) throw Error::invalid_input(path, "buffer of " + std::to_string(n) + " bytes", "check the peer");
    b.resize(n);
    recv_all(fd, b.data(), n, path);
  }
  m.header = nlohmann::json::parse(text, nullptr, false);
  if (!m.header.is_object()) throw Error::invalid_input(path, "a message whose header is not a JSON object", "check the peer");
  return m;
}

Fd connect_to(const std::string& path) {
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) throw socket_error(path, "socket failed");
  const sockaddr_un a = address_of(path);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0)
    throw Error::io(path, std::string("no dispatch server answers: ") + std::strerror(errno),
                    "start one with `vyre serve --socket " + path + "`, or set VYRE_SERVER=auto");
  return fd;
}

bool server_answers(const std::string& path) {
  try {
    connect_to(path);  // closed at once: the server takes it for a probe
    return true;
  } catch (const Error&) {
    return false;
  }
}

Fd listen_on(const std::string& path) {
  if (server_answers(path))
    throw Error::usage("a dispatch server already listens on " + path, "stop it or choose another --socket");
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) throw Error::usage(path + " exists and is not a socket", "choose another --socket path");
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
  if (::listen(listener.get(), 16) != 0) throw socket_error(path, "listen failed");
  return listener;
}

uint32_t peer_uid(int fd) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return UINT32_MAX;
  return cred.uid;
}

}  // namespace vyre::detail
