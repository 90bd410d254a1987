#include "vyre/file_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "vyre/error.h"

namespace vyre {

namespace {

std::string errno_text(int err) { return std::strerror(err); }

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

void check_single_stdin(std::initializer_list<NamedInput> inputs) {
  check_single_stdin(std::span<const NamedInput>(inputs.begin(), inputs.size()));
}

void check_single_stdin(std::span<const NamedInput> inputs) {
  const NamedInput* first = nullptr;
  for (const auto& input : inputs) {
    if (input.second != "-") continue;
    if (first)
      throw Error::usage(std::string(first->first) + " and " + std::string(input.first) + " both read stdin",
                         "name a file for one of them");
    first = &input;
  }
}

}  // namespace vyre
