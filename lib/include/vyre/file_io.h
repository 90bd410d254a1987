// Reading a command's inputs the way every tool does: "-" means stdin, any
// other path is read whole (regular files, FIFOs, devices, /dev/fd/N), and
// errors name the path. Outputs are written by OutputSet (output_set.h).
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "vyre/control.h"
#include "vyre/output_set.h"

namespace vyre {

// Reads a whole file, or stdin for "-". Throws Io naming the path.
Bytes read_input(const std::string& path);
std::string read_text_input(const std::string& path);

// A whole input that is only read (inspect, diff): a regular file is mapped
// read-only, so its pages come straight from the page cache as they are
// touched and a 64 MiB capture costs neither an allocation nor a copy (on
// this project's CI machine reading one into fresh memory takes about 300
// ms, mapping it under 10); stdin, FIFOs and devices are read as read_input
// does. As with every mapped reader (grep, git), a file truncated by another
// process while it is being read ends this one with SIGBUS.
class InputBytes {
 public:
  static InputBytes read(const std::string& path);
  InputBytes() = default;  // empty
  InputBytes(InputBytes&& other) noexcept;
  InputBytes& operator=(InputBytes&& other) noexcept;
  InputBytes(const InputBytes&) = delete;
  ~InputBytes();
  ByteSpan span() const { return {data_, size_}; }
  operator ByteSpan() const { return span(); }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  Bytes owned_;
  void* map_ = nullptr;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Refuses two inputs that both read stdin: {option, path} pairs, "-" being
// stdin. Throws Usage naming both options.
using NamedInput = std::pair<std::string_view, std::string_view>;
void check_single_stdin(std::span<const NamedInput> inputs);
void check_single_stdin(std::initializer_list<NamedInput> inputs);

// The descriptor of this process a path names (/dev/stdin, /dev/stdout,
// /dev/stderr, /dev/fd/N, /proc/self/fd/N, /proc/<pid>/fd/N), if it names
// one. Opening such a path would reopen whatever the descriptor points at
// (and truncate a file the shell opened for appending); reading or writing
// the descriptor is what the user meant.
std::optional<int> own_descriptor(std::string_view path);
// `path` with the symlinks of its last component followed, as open() would
// (the directories above are the kernel's business), stopping at a path
// that names one of the process's descriptors or does not exist.
std::string follow_links(std::string path);

// Human name of an input path for messages ("<stdin>" for "-").
std::string display_name(const std::string& path);

}  // namespace vyre
