#include "vyre/file_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "vyre/detail/errno_text.h"
#include "vyre/error.h"

namespace vyre {

namespace {

using detail::errno_text;

// Reads every byte of `fd` straight into the result; `fd` may be a pipe, so
// the size is only a hint.
Bytes read_all(int fd, const std::string& name) {
  struct stat st {};
  const bool known = ::fstat(fd, &st) == 0;
  if (known && S_ISDIR(st.st_mode)) throw Error::io(name, "is a directory", "pass a buffer file, or - for stdin");
  Bytes out(known && S_ISREG(st.st_mode) && st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : size_t{1} << 16);
  size_t used = 0;
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    const ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error::io(name, "read failed: " + errno_text(errno), "check the file and its permissions");
    }
    used += static_cast<size_t>(n);
  }
  out.resize(used);
  return out;
}

}  // namespace

std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

Bytes read_input(const std::string& path) {
  if (path == "-") return read_all(STDIN_FILENO, "<stdin>");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    throw Error::io(path, "cannot open: " + errno_text(err),
                    err == ENOENT ? "check the path" : "check the file's permissions");
  }
  try {
    Bytes out = read_all(fd, path);
    ::close(fd);
    return out;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

InputBytes InputBytes::read(const std::string& path) {
  InputBytes in;
  const auto keep = [&in](Bytes bytes) {
    in.owned_ = std::move(bytes);
    in.data_ = in.owned_.data();
    in.size_ = in.owned_.size();
  };
  if (path == "-") {
    keep(read_all(STDIN_FILENO, "<stdin>"));
    return in;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    throw Error::io(path, "cannot open: " + errno_text(err),
                    err == ENOENT ? "check the path" : "check the file's permissions");
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void* map = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      ::close(fd);
      in.map_ = map;
      in.data_ = static_cast<const uint8_t*>(map);
      in.size_ = static_cast<size_t>(st.st_size);
      return in;
    }
  }
  try {
    keep(read_all(fd, path));
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return in;
}

InputBytes::InputBytes(InputBytes&& other) noexcept
    : owned_(std::move(other.owned_)), map_(other.map_), data_(other.data_), size_(other.size_) {
  if (!map_) data_ = owned_.data();
  other.map_ = nullptr;
  other.data_ = nullptr;
  other.size_ = 0;
}

InputBytes& InputBytes::operator=(InputBytes&& other) noexcept {
  if (this != &other) {
    if (map_) ::munmap(map_, size_);
    owned_ = std::move(other.owned_);
    map_ = other.map_;
    data_ = map_ ? other.data_ : owned_.data();
    size_ = other.size_;
    other.map_ = nullptr;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

InputBytes::~InputBytes() {
  if (map_) ::munmap(map_, size_);
}

std::string read_text_input(const std::string& path) {
  Bytes b = read_input(path);
  return std::string(b.begin(), b.end());
}

std::optional<int> own_descriptor(std::string_view path) {
  if (path == "/dev/stdin") return STDIN_FILENO;
  if (path == "/dev/stdout") return STDOUT_FILENO;
  if (path == "/dev/stderr") return STDERR_FILENO;
  const std::string pid_prefix = "/proc/" + std::to_string(::getpid()) + "/fd/";
  for (std::string_view prefix : {std::string_view("/dev/fd/"), std::string_view("/proc/self/fd/"),
                                  std::string_view("/proc/thread-self/fd/"), std::string_view(pid_prefix)}) {
    if (!path.starts_with(prefix)) continue;
    const std::string_view digits = path.substr(prefix.size());
    int fd = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), fd);
    if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty()) return fd;
  }
  return std::nullopt;
}

std::string follow_links(std::string path) {
  for (int depth = 0; depth < 40; ++depth) {
    if (own_descriptor(path)) return path;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
    std::string target(PATH_MAX, '\0');
    const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
    if (n < 0) return path;
    target.resize(static_cast<size_t>(n));
    path = std::filesystem::path(target).is_absolute() ? target : (std::filesystem::path(path).parent_path() / target).string();
  }
  throw Error::io(path, "too many levels of symbolic links", "name the file itself");
}

void check_single_stdin(std::initializer_list<NamedInput> inputs) {
  check_single_stdin(std::span<const NamedInput>(inputs.begin(), inputs.size()));
}

void check_single_stdin(std::span<const NamedInput> inputs) {
  // "-", /dev/stdin, /proc/self/fd/0 and a link to them are one stream:
  // two inputs reading it would split its bytes between them.
  std::vector<std::pair<const NamedInput*, int>> streams;
  for (const auto& input : inputs) {
    const std::string path(input.second);
    const std::optional<int> fd = path == "-" ? std::optional<int>(STDIN_FILENO) : own_descriptor(follow_links(path));
    if (!fd) continue;
    for (const auto& [first, other] : streams)
      if (other == *fd)
        throw Error::usage(std::string(first->first) + " and " + std::string(input.first) +
                               (*fd == STDIN_FILENO ? std::string(" both read stdin")
                                                    : " both read descriptor " + std::to_string(*fd)),
                           "name a file for one of them");
    streams.emplace_back(&input, *fd);
  }
}

}  // namespace vyre
