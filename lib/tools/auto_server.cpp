#include "vyre/auto_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include "vyre/dispatch_server.h"
#include "vyre/error.h"

namespace vyre {

namespace fs = std::filesystem;

namespace {

class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A directory fit for sockets that run code as this user: a real directory
// (not a link), this user's, closed to everyone else.
bool private_directory(const fs::path& dir, std::string& why) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) {
    why = std::strerror(errno);
    return false;
  }
  if (!S_ISDIR(st.st_mode)) why = "it is not a directory";
  else if (st.st_uid != ::geteuid()) why = "another user owns it";
  else if ((st.st_mode & 077) != 0) why = "other users can enter it";
  else return true;
  return false;
}

std::string octal_mode(const fs::path& dir) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return "?";
  char buf[8];
  std::snprintf(buf, sizeof buf, "%03o", st.st_mode & 0777);
  return buf;
}

// FNV-1a over the parts that decide which server a command may share.
std::string key_of(const std::vector<std::string>& parts) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const std::string& part : parts) {
    for (unsigned char c : part) h = (h ^ c) * 0x100000001b3ull;
    h = (h ^ 0xFF) * 0x100000001b3ull;  // a separator no string byte sequence imitates alone
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The executable as built: a rebuilt vyre does not talk to an older server.
std::string executable_identity(const std::string& exe) {
  struct stat st {};
  if (::stat(exe.c_str(), &st) != 0) return exe;
  return exe + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

std::string log_tail(const std::string& log) {
  std::ifstream in(log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > 3 ? lines.size() - 3 : 0; i < lines.size(); ++i) out += (out.empty() ? "" : "; ") + lines[i];
  return out.empty() ? "its log is empty" : out;
}

// Starts `argv` as a daemon (its own session, cwd /, stdin and stdout on
// /dev/null, stderr into `log`) and returns a descriptor that reads end of
// file when the daemon exits.
Descriptor spawn_daemon(const std::vector<std::string>& args, const std::string& log) {
  // Everything the child needs is made before fork: after it, only
  // async-signal-safe calls (this process has threads).
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Descriptor null_fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
  Descriptor log_fd(::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (null_fd.get() < 0 || log_fd.get() < 0)
    throw Error::io(log, std::string("cannot open the server's log: ") + std::strerror(errno),
                    "check the directory's permissions, or unset VYRE_SERVER");
  int alive[2];
  if (::pipe2(alive, O_CLOEXEC) != 0)
    throw Error::io(log, std::string("pipe failed: ") + std::strerror(errno), "check the system's limits on open files");
  Descriptor alive_read(alive[0]);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(alive[1]);
    throw Error::io(args[0], std::string("fork failed: ") + std::strerror(errno), "check the system's process limits");
  }
  if (pid == 0) {
    ::setsid();
    if (::fork() != 0) ::_exit(0);  // the daemon is not this process's child: nobody has to reap it
    ::dup2(null_fd.get(), 0);
    ::dup2(null_fd.get(), 1);
    ::dup2(log_fd.get(), 2);
    // The write end stays open in the daemon for its whole life: the
    // starter reads end of file only if it exits.
    ::fcntl(alive[1], F_SETFD, 0);
    if (::chdir("/") != 0) ::_exit(126);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(alive[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return Descriptor(::dup(alive_read.get()));
}

}  // namespace

fs::path auto_server_directory() {
  std::string why;
  if (const std::string xdg = env_or_empty("XDG_RUNTIME_DIR"); !xdg.empty() && fs::path(xdg).is_absolute() &&
                                                                 private_directory(xdg, why)) {
    const fs::path dir = fs::path(xdg) / "vyre";
    ::mkdir(dir.c_str(), 0700);
    if (!private_directory(dir, why))
      throw Error::io(dir.string(), "not a private directory of this user: " + why + " (mode " + octal_mode(dir) + ")",
                      "remove it, or chmod 700 it");
    return dir;
  }
  const fs::path dir = "/tmp/vyre-" + std::to_string(::geteuid());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw Error::io(dir.string(), std::string("cannot create it: ") + std::strerror(errno),
                    "set XDG_RUNTIME_DIR to a private directory of yours");
  if (!private_directory(dir, why))
    throw Error::io(dir.string(), "not a private directory of this user: " + why + " (mode " + octal_mode(dir) + ")",
                    "remove it (another user may have created it), or set XDG_RUNTIME_DIR to a private directory");
  return dir;
}

AutoServer ensure_auto_server(const AutoServerRequest& r, std::stop_token stop) {
  const fs::path dir = auto_server_directory();
  const std::string key =
      key_of({executable_identity(r.executable), r.device.device_selector, std::to_string(r.device.workgroup_size),
              r.device.use_cache ? "cache" : "no-cache", r.device.opcodes.digest(), env_or_empty("VYRE_DEVICE"),
              env_or_empty("VYRE_CL_OPTIONS"), env_or_empty("OCL_ICD_FILENAMES"), env_or_empty("OCL_ICD_VENDORS"),
              env_or_empty("POCL_DEVICES"), env_or_empty("CUDA_VISIBLE_DEVICES")});
  AutoServer out{(dir / ("server-" + key + ".sock")).string(), (dir / ("server-" + key + ".log")).string()};
  if (dispatch_server_answers(out.socket)) return out;

  // One starter at a time; the others find its server when they get the lock.
  const std::string lock_path = (dir / ("server-" + key + ".lock")).string();
  Descriptor lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (lock.get() < 0)
    throw Error::io(lock_path, std::string("cannot open: ") + std::strerror(errno), "check the directory's permissions");
  while (::flock(lock.get(), LOCK_EX) != 0)
    if (errno != EINTR)
      throw Error::io(lock_path, std::string("cannot lock: ") + std::strerror(errno), "check the directory's permissions");
  if (dispatch_server_answers(out.socket)) return out;

  std::vector<std::string> args = {r.executable, "serve", "--socket", out.socket, "--idle-exit",
                                   std::to_string(r.idle_exit.count())};
  if (!r.device.device_selector.empty()) args.insert(args.end(), {"--device", r.device.device_selector});
  if (r.device.workgroup_size != 0) args.insert(args.end(), {"--workgroup-size", std::to_string(r.device.workgroup_size)});
  if (!r.device.use_cache) args.push_back("--no-cache");
  if (!r.opcodes_path.empty()) args.insert(args.end(), {"--opcodes", fs::absolute(r.opcodes_path).string()});
  const Descriptor alive = spawn_daemon(args, out.log);
  // Building the kernel on a cold cache takes a few seconds on a GPU; the
  // wait ends when the socket answers, the daemon exits, or a stop request.
  for (auto delay = std::chrono::milliseconds(1);; delay = std::min(delay * 2, std::chrono::milliseconds(20))) {
    if (dispatch_server_answers(out.socket)) return out;
    if (stop.stop_requested()) throw Error::cancelled("stopped while the dispatch server started");
    pollfd p{alive.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(delay.count())) > 0 && !dispatch_server_answers(out.socket))
      throw Error::backend("the dispatch server started for VYRE_SERVER=auto exited: " + log_tail(out.log),
                           "run `" + r.executable + " serve --socket " + out.socket +
                               "` to see why, or unset VYRE_SERVER; its log is " + out.log);
  }
}


}  // namespace vyre
