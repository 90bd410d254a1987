// The dispatch server's messages (this project's own wire format, versioned):
// the magic "VYRS", a u32 version, a u64 JSON length, the JSON, a u32
// buffer count and for each buffer a u64 length and its bytes; integers
// little-endian. A connection is one session: the client sends a message,
// the server answers it, until the client closes. Private to the runtime.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vyre/control.h"
#include "vyre/dispatch.h"
#include "vyre/error.h"

namespace vyre::detail {

inline constexpr uint32_t kServerProtocolVersion = 2;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

struct Message {
  nlohmann::json header;
  std::vector<Bytes> buffers;
};

// `path` names the socket in errors.
void send_message(int fd, const nlohmann::json& header, std::span<const std::span<const uint8_t>> buffers,
                  const std::string& path);
// nullopt when the peer closed the connection between messages; an Error
// when it closed in the middle of one or sent something else.
std::optional<Message> recv_message(int fd, const std::string& path);

// A connected client socket; Io error "no dispatch server answers" when
// nothing listens at `path`.
Fd connect_to(const std::string& path);
bool server_answers(const std::string& path);
// A listening socket at `path`, created owner-only; a stale socket file is
// replaced, a live server or another kind of file is a Usage error.
Fd listen_on(const std::string& path);
// The connecting process's user id (SO_PEERCRED).
uint32_t peer_uid(int fd);

}  // namespace vyre::detail

namespace vyre {
// The JSON of the messages: one definition serves both directions.
NLOHMANN_JSON_SERIALIZE_ENUM(DispatchMode, {{DispatchMode::Once, "once"}, {DispatchMode::Persistent, "persistent"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DispatchTimings, device_ms, build_ms, transfer_ms, upload_ms, readback_ms, kernel_ms,
                                   total_ms, build_cache_hit)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TransferRates, host_to_device_gbps, device_to_host_gbps)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(BufferSizes, control, ring, debug_log, io_queue)
}  // namespace vyre
