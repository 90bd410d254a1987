// A command's outputs, written the way coreutils and jq write theirs, and all
// or nothing.
//
// A command declares every output before it does its work (add), so that a
// path that cannot be written fails the command before anything runs; it
// then hands over each output's bytes (set) and writes them in one step
// (commit):
// - A regular file, or a path that does not exist yet, is replaced
//   atomically: a temporary file in the same directory, then rename (no
//   fsync: durability across a power loss is the caller's `sync`). The
//   old file's mode (and owner, where permitted) is kept. A symlink is
//   followed and its target replaced the same way, in the target's
//   directory. A regular file with other hard links is rewritten in place,
//   so that the links keep sharing it.
// - "-" is stdout. /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N
//   are the process's own descriptors and are written straight through, as
//   are character and block devices, FIFOs (opened at commit, so a reader
//   may come later) and Unix sockets (connected to). Nothing is ever created
//   or removed in /dev.
// - Every file is written to its temporary before any is renamed, with
//   signals held, so an error or a signal leaves each old file as it was;
//   a hard-linked file is rewritten in place only once its new bytes were
//   written in full to a temporary beside it (a full disk or a file-size
//   limit fails there, before the old bytes are touched); streams are
//   written after the files.
#pragma once

#include <cstdint>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace vyre {

enum class OutputKind { Binary, Text };

class OutputSet {
 public:
  OutputSet();
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // Declares an output and checks now that it can be written. `option`
  // names it in messages ("--report"). Throws Usage for a path that cannot
  // be an output (a directory, a second output to the same file or to
  // stdout, binary data for a terminal, a new file in /dev) and Io for a
  // missing or read-only directory. Returns the output's handle.
  size_t add(const std::string& path, OutputKind kind, std::string option, bool allow_terminal = false);
  // Declares a directory for outputs (created at commit when missing, as
  // mkdir -p would) and returns the prefix to add its files under.
  std::string add_directory(const std::string& dir, std::string option);

  // The bytes of an output. The view must stay valid until commit().
  void set(size_t handle, std::span<const uint8_t> bytes);
  void set(size_t handle, std::string text);

  // Writes every output; throws Io (nothing replaced) when a file cannot be
  // written. When `stop` is already requested, writes nothing and throws.
  void commit(std::stop_token stop = {});

 private:
  struct Output;
  struct Directory;
  void commit_files();
  std::vector<Output> outputs_;
  std::vector<Directory> directories_;
};

// Where this process stands in putting its outputs in place, for the signal
// watcher of a tool (vyre::cli::run_tool), which must not end the process
// half-way: process-wide, as signals are, and lock-free, so that it can be
// read anywhere.
enum class CommitPhase {
  None,     // nothing written yet
  Files,    // files are being written to temporaries and renamed: let it end
  Streams,  // the files are in place; devices, FIFOs and stdout are written
  Done,     // every output of a commit is written
  Forced,   // a forced stop was claimed: no commit starts any more
};
// Claims the forced stop when nothing has been written (None becomes Forced,
// and a commit that starts later writes nothing); returns the phase found.
CommitPhase claim_forced_stop() noexcept;

// Writes one output: add, set and commit in one call.
void write_output(const std::string& path, std::span<const uint8_t> data, OutputKind kind, std::string option = "-o",
                  bool allow_terminal = false);
void write_output(const std::string& path, std::string_view text, OutputKind kind, std::string option = "-o",
                  bool allow_terminal = false);

}  // namespace vyre
