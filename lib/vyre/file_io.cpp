#include "vyre/file_io.h"

#include <fcntl.h>
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

// Reads every byte of `fd`; `fd` may be a pipe, so the size is not known.
Bytes read_all(int fd, const std::string& name) {
  Bytes out;
  struct stat st{};
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
    throw Error::io(name, "is a directory", "pass a buffer file, or - for stdin");
  uint8_t chunk[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error::io(name, "read failed: " + errno_text(errno), "check the file and its permissions");
    }
    out.insert(out.end(), chunk, chunk + n);
  }
  return out;
}

void write_all(int fd, const uint8_t* data, size_t size, const std::string& name) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error::io(name, "write failed: " + errno_text(errno), "check free disk space and permissions");
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// Removes the temp file unless the write committed.
class TempFile {
 public:
  explicit TempFile(const std::string& target) : target_(target) {
    std::filesystem::path p(target);
    const std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
    path_ = dir + "/." + p.filename().string() + ".tmp.XXXXXX";
    fd_ = mkstemp(path_.data());
    if (fd_ < 0)
      throw Error::io(target, "cannot create a temporary file in " + dir + ": " + errno_text(errno),
                      "check that the directory exists and is writable");
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write(const uint8_t* data, size_t size) { write_all(fd_, data, size, target_); }
  void commit() {
    // Keep the permissions an ordinary file would get (mkstemp uses 0600).
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd_, 0666 & ~mask);
    if (::fsync(fd_) != 0)
      throw Error::io(target_, "fsync failed: " + errno_text(errno), "check free disk space and the filesystem");
    if (::close(fd_) != 0) {
      fd_ = -1;
      throw Error::io(target_, "close failed: " + errno_text(errno), "check free disk space and the filesystem");
    }
    fd_ = -1;
    if (::rename(path_.c_str(), target_.c_str()) != 0)
      throw Error::io(target_, "rename into place failed: " + errno_text(errno),
                      "check that the path is not a directory and is writable");
    committed_ = true;
  }

 private:
  std::string target_, path_;
  int fd_ = -1;
  bool committed_ = false;
};

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

std::string read_text_input(const std::string& path) {
  Bytes b = read_input(path);
  return std::string(b.begin(), b.end());
}

void write_output(const std::string& path, ByteSpan data, OutputKind kind, bool allow_terminal) {
  if (path == "-") {
    if (kind == OutputKind::Binary && !allow_terminal && ::isatty(STDOUT_FILENO))
      throw Error::usage("refusing to write a binary buffer to a terminal",
                         "redirect stdout to a file or pipe, or pass -o FILE");
    write_all(STDOUT_FILENO, data.data(), data.size(), "<stdout>");
    return;
  }
  TempFile tmp(path);
  tmp.write(data.data(), data.size());
  tmp.commit();
}

void write_output(const std::string& path, std::string_view data, OutputKind kind, bool allow_terminal) {
  write_output(path, ByteSpan(reinterpret_cast<const uint8_t*>(data.data()), data.size()), kind, allow_terminal);
}

}  // namespace vyre
