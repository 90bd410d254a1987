#include "vyre/output_set.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <utility>

#include "vyre/detail/errno_text.h"
#include "vyre/error.h"
#include "vyre/file_io.h"

namespace vyre {

namespace fs = std::filesystem;

namespace {

using detail::errno_text;

std::string parent_of(const std::string& path) {
  const fs::path p(path);
  return p.has_parent_path() ? p.parent_path().string() : ".";
}

std::string absolute_normal(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  return (ec ? fs::path(path) : p).lexically_normal().string();
}

bool is_dev_directory(const std::string& dir) {
  std::error_code ec;
  return fs::canonical(dir, ec) == "/dev" && !ec;
}

void write_all(int fd, const uint8_t* data, size_t size, const std::string& name) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking descriptor from the caller
        pollfd p{fd, POLLOUT, 0};
        ::poll(&p, 1, -1);
        continue;
      }
      throw Error::io(name, "write failed: " + errno_text(errno), "check free disk space and permissions");
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// Holds every catchable signal of this thread while files are put in place,
// so that a signal cannot end the process between two renames or leave a
// temporary file behind (see run_tool's forced stop).
class SignalHold {
 public:
  SignalHold() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old_);
  }
  ~SignalHold() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SignalHold(const SignalHold&) = delete;
  SignalHold& operator=(const SignalHold&) = delete;

 private:
  sigset_t old_;
};

// A descriptor closed when it goes out of scope; close() reports the error
// a deferred write can surface only there.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  void close(const std::string& name) {
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0)
      throw Error::io(name, "close failed: " + errno_text(errno), "check free disk space and the filesystem");
  }

 private:
  int fd_;
};

std::atomic<int>& phase_word() {
  static std::atomic<int> phase{static_cast<int>(CommitPhase::None)};
  static_assert(std::atomic<int>::is_always_lock_free);
  return phase;
}

// Moves None or Done to `to`; false when a forced stop was claimed.
bool enter_phase(CommitPhase to, CommitPhase& was) {
  int current = phase_word().load();
  do {
    if (current == static_cast<int>(CommitPhase::Forced)) return false;
  } while (!phase_word().compare_exchange_weak(current, static_cast<int>(to)));
  was = static_cast<CommitPhase>(current);
  return true;
}

// What two outputs naming one existing file share: its device and inode.
std::string file_identity(const struct stat& st) {
  return "file:" + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

mode_t new_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

CommitPhase claim_forced_stop() noexcept {
  int expected = static_cast<int>(CommitPhase::None);
  if (phase_word().compare_exchange_strong(expected, static_cast<int>(CommitPhase::Forced))) return CommitPhase::None;
  return static_cast<CommitPhase>(expected);
}

struct OutputSet::Output {
  enum class How { Descriptor, Stream, Socket, Replace, InPlace };
  std::string path, option, target;
  OutputKind kind = OutputKind::Binary;
  How how = How::Replace;
  int fd = -1;
  // What two outputs must not share: "fd:1", or the file's device and inode,
  // or the absolute path of a file still to be created; a descriptor open on
  // a regular file also has the file's (`-o - > y` beside `--svg y`).
  std::string identity, file_identity;
  bool exists = false;
  struct stat old {};
  std::string owned;
  std::span<const uint8_t> bytes;
  bool has_data = false;
};

struct OutputSet::Directory {
  std::string path;      // as given
  std::string absolute;  // normalized, to recognise the files put in it
  bool create = false;
};

OutputSet::OutputSet() = default;
OutputSet::~OutputSet() = default;

size_t OutputSet::add(const std::string& path, OutputKind kind, std::string option, bool allow_terminal) {
  if (path.empty()) throw Error::usage(option + " needs a file name", "pass " + option + " FILE, or - for stdout");
  Output o;
  o.path = path;
  o.option = std::move(option);
  o.kind = kind;
  o.target = path == "-" ? "/dev/stdout" : follow_links(path);
  if (auto fd = own_descriptor(o.target)) {
    o.how = Output::How::Descriptor;
    o.fd = *fd;
    const int flags = ::fcntl(o.fd, F_GETFL);
    if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
      throw Error::usage(o.option + " " + path + ": descriptor " + std::to_string(o.fd) + " is not open for writing",
                         "open it in the shell (e.g. " + std::to_string(o.fd) + ">FILE) or name a file");
    if (kind == OutputKind::Binary && !allow_terminal && ::isatty(o.fd))
      throw Error::usage("refusing to write a binary buffer to a terminal (" + o.option + " " + path + ")",
                         "redirect it to a file or pipe, or pass " + o.option + " FILE");
    o.identity = "fd:" + std::to_string(o.fd);
    struct stat st {};
    if (::fstat(o.fd, &st) == 0 && S_ISREG(st.st_mode))
      o.file_identity = file_identity(st);
  } else {
    struct stat st {};
    if (::stat(o.target.c_str(), &st) == 0) {
      o.exists = true;
      o.old = st;
      if (S_ISDIR(st.st_mode))
        throw Error::usage(o.option + " " + path + " is a directory", "name a file inside it");
      if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode)) {
        o.how = Output::How::Stream;
      } else if (S_ISSOCK(st.st_mode)) {
        o.how = Output::How::Socket;
      } else {
        o.how = st.st_nlink > 1 ? Output::How::InPlace : Output::How::Replace;
        o.identity = file_identity(st);
        if (::access(o.target.c_str(), W_OK) != 0)
          throw Error::io(path, "cannot replace: " + errno_text(errno), "check the file's permissions");
      }
    } else if (errno != ENOENT) {
      throw Error::io(path, "cannot use as an output: " + errno_text(errno), "check the path");
    }
    if (o.how == Output::How::Replace) {
      const std::string dir = parent_of(o.target);
      const std::string dir_abs = absolute_normal(dir);
      bool planned = false;
      for (const Directory& d : directories_) planned = planned || (d.create && d.absolute == dir_abs);
      if (!planned) {
        struct stat dst {};
        if (::stat(dir.c_str(), &dst) != 0 || !S_ISDIR(dst.st_mode))
          throw Error::io(path, "its directory " + dir + " does not exist", "create the directory first");
        if (!o.exists && is_dev_directory(dir))
          throw Error::usage(o.option + " " + path + " would create a file in /dev",
                             "name an existing device, or write the output elsewhere");
        if (::access(dir.c_str(), W_OK | X_OK) != 0)
          throw Error::io(path, "cannot write in " + dir + ": " + errno_text(errno),
                          "check the directory's permissions, or write the output elsewhere");
      }
      if (!o.exists) o.identity = "new:" + dir_abs + "/" + fs::path(o.target).filename().string();
    }
  }
  auto shares = [](const Output& a, const Output& b) {
    for (const std::string* x : {&a.identity, &a.file_identity})
      for (const std::string* y : {&b.identity, &b.file_identity})
        if (!x->empty() && *x == *y) return true;
    return false;
  };
  for (const Output& other : outputs_) {
    if (!shares(o, other)) continue;
    if (o.how == Output::How::Descriptor && o.fd == STDOUT_FILENO && other.identity == o.identity)
      throw Error::usage(other.option + " and " + o.option + " both write to stdout",
                         "send one of them to a file, e.g. " + o.option + " FILE");
    throw Error::usage(other.option + " and " + o.option + " both name " + path,
                       "give each output a path of its own");
  }
  outputs_.push_back(std::move(o));
  return outputs_.size() - 1;
}

std::string OutputSet::add_directory(const std::string& dir, std::string option) {
  if (dir == "-")
    throw Error::usage(option + " - : a directory of several buffers cannot go to stdout",
                       "name a directory, e.g. " + option + " out");
  if (dir.empty()) throw Error::usage(option + " needs a directory name", "pass " + option + " DIR");
  Directory d{dir, absolute_normal(dir), false};
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw Error::usage(option + " " + dir + " is not a directory", "name a directory");
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
      throw Error::io(dir, "cannot write in it: " + errno_text(errno), "check the directory's permissions");
  } else {
    // mkdir -p at commit: the nearest existing ancestor must take new entries.
    d.create = true;
    fs::path up = fs::path(d.absolute).parent_path();
    while (::stat(up.c_str(), &st) != 0 && up.has_relative_path()) up = up.parent_path();
    if (!S_ISDIR(st.st_mode))
      throw Error::io(dir, up.string() + " is not a directory", "name a directory path");
    if (is_dev_directory(up.string()))
      throw Error::usage(option + " " + dir + " would create a directory in /dev", "write the outputs elsewhere");
    if (::access(up.c_str(), W_OK | X_OK) != 0)
      throw Error::io(dir, "cannot create it in " + up.string() + ": " + errno_text(errno),
                      "check the permissions, or choose another directory");
  }
  directories_.push_back(std::move(d));
  return dir.ends_with('/') ? dir : dir + "/";
}

void OutputSet::set(size_t handle, std::span<const uint8_t> bytes) {
  Output& o = outputs_.at(handle);
  o.bytes = bytes;
  o.has_data = true;
}

void OutputSet::set(size_t handle, std::string text) {
  Output& o = outputs_.at(handle);
  o.owned = std::move(text);
  o.bytes = {reinterpret_cast<const uint8_t*>(o.owned.data()), o.owned.size()};
  o.has_data = true;
}

void OutputSet::commit_files() {
  struct Temp {
    std::string path;
    const Output* output;
  };
  std::vector<Temp> temps;
  std::vector<std::string> created;
  size_t renamed = 0;
  try {
    for (const Directory& d : directories_) {
      if (!d.create) continue;
      // Each missing level, top down, remembered so an error can take it back.
      std::vector<fs::path> missing;
      for (fs::path p = d.absolute; !p.empty() && !fs::exists(p); p = p.parent_path()) missing.push_back(p);
      for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0777) != 0 && errno != EEXIST)
          throw Error::io(d.path, "cannot create the directory: " + errno_text(errno), "check the path");
        created.push_back(it->string());
      }
    }
    for (const Output& o : outputs_) {
      if (o.how != Output::How::Replace && o.how != Output::How::InPlace) continue;
      const std::string dir = parent_of(o.target);
      std::string tmp = dir + "/." + fs::path(o.target).filename().string() + ".tmp.XXXXXX";
      UniqueFd fd(::mkstemp(tmp.data()));
      // A hard-linked file in a directory this process cannot add to is
      // rewritten without the trial.
      if (!fd.ok() && o.how == Output::How::InPlace) continue;
      if (!fd.ok())
        throw Error::io(o.path, "cannot create a temporary file in " + dir + ": " + errno_text(errno),
                        "check that the directory is writable");
      temps.push_back({tmp, &o});
      write_all(fd.get(), o.bytes.data(), o.bytes.size(), o.path);
      if (o.exists) {
        ::fchmod(fd.get(), o.old.st_mode & 07777);
        // Another user's file keeps its owner only where this process may
        // give files away (root); otherwise the new file is ours.
        if (::fchown(fd.get(), o.old.st_uid, o.old.st_gid) != 0) errno = 0;
      } else {
        ::fchmod(fd.get(), new_file_mode());
      }
      // No fsync: like cp and sort -o, durability across a power loss is
      // the caller's `sync`; an fsync per output costs more than a small
      // dispatch (5 outputs: 36 ms on ext4).
      fd.close(o.path);
    }
    // Hard-linked files are rewritten in place, so that the links keep
    // sharing them: the one step that is not atomic, so it goes before the
    // renames, while failing still replaces nothing else. Their temporaries
    // above proved that the bytes fit (disk space, file-size limit); the
    // rewrite overwrites, then cuts, so the file is never empty in between.
    for (const Output& o : outputs_) {
      if (o.how != Output::How::InPlace) continue;
      UniqueFd fd(::open(o.target.c_str(), O_WRONLY | O_CLOEXEC));
      if (!fd.ok()) throw Error::io(o.path, "cannot open: " + errno_text(errno), "check the file's permissions");
      write_all(fd.get(), o.bytes.data(), o.bytes.size(), o.path);
      if (::ftruncate(fd.get(), static_cast<off_t>(o.bytes.size())) != 0)
        throw Error::io(o.path, "cannot set its size: " + errno_text(errno), "check the filesystem");
      fd.close(o.path);
    }
    for (; renamed < temps.size(); ++renamed) {
      if (temps[renamed].output->how == Output::How::InPlace) {
        ::unlink(temps[renamed].path.c_str());
        continue;
      }
      if (::rename(temps[renamed].path.c_str(), temps[renamed].output->target.c_str()) != 0)
        throw Error::io(temps[renamed].output->path, "rename into place failed: " + errno_text(errno),
                        "check that the path is not a directory and is writable");
    }
  } catch (...) {
    for (size_t i = renamed; i < temps.size(); ++i) ::unlink(temps[i].path.c_str());
    for (auto it = created.rbegin(); it != created.rend(); ++it) ::rmdir(it->c_str());
    throw;
  }
}

void OutputSet::commit(std::stop_token stop) {
  for (const Output& o : outputs_)
    if (!o.has_data) throw std::logic_error("output " + o.option + " was declared but given no bytes");
  // A signal that comes once the files are being put in place lets the
  // command finish (the signal watcher waits for the Files phase to end);
  // one that came before writes nothing.
  CommitPhase was = CommitPhase::None;
  {
    SignalHold hold;
    // Checked with signals held: a stop that comes later finds every file
    // either old or new.
    if (stop.stop_requested() || !enter_phase(CommitPhase::Files, was))
      throw Error::io("outputs", "not written: the command was stopped", "run the command again");
    try {
      commit_files();
    } catch (...) {
      phase_word().store(static_cast<int>(was));
      throw;
    }
    phase_word().store(static_cast<int>(CommitPhase::Streams));
  }
  struct MarkDone {
    ~MarkDone() { phase_word().store(static_cast<int>(CommitPhase::Done)); }
  } mark_done;
  for (const Output& o : outputs_) {
    switch (o.how) {
      case Output::How::Descriptor:
        write_all(o.fd, o.bytes.data(), o.bytes.size(), o.fd == STDOUT_FILENO ? "<stdout>" : o.path);
        break;
      case Output::How::Stream: {
        UniqueFd fd(::open(o.target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC));
        if (!fd.ok()) throw Error::io(o.path, "cannot open: " + errno_text(errno), "check the device or FIFO");
        write_all(fd.get(), o.bytes.data(), o.bytes.size(), o.path);
        break;
      }
      case Output::How::Socket: {
        UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        if (!fd.ok() || o.target.size() >= sizeof a.sun_path)
          throw Error::io(o.path, "cannot connect to the socket", "use a shorter path, or a FIFO");
        std::memcpy(a.sun_path, o.target.c_str(), o.target.size() + 1);
        if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0)
          throw Error::io(o.path, "cannot connect to the socket: " + errno_text(errno), "start its reader first");
        write_all(fd.get(), o.bytes.data(), o.bytes.size(), o.path);
        break;
      }
      case Output::How::Replace:
      case Output::How::InPlace:
        break;  // written above
    }
  }
}

void write_output(const std::string& path, std::span<const uint8_t> data, OutputKind kind, std::string option,
                  bool allow_terminal) {
  OutputSet set;
  set.set(set.add(path, kind, std::move(option), allow_terminal), data);
  set.commit();
}

void write_output(const std::string& path, std::string_view text, OutputKind kind, std::string option,
                  bool allow_terminal) {
  write_output(path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()), kind,
               std::move(option), allow_terminal);
}

}  // namespace vyre
