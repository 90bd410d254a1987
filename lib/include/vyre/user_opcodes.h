// User opcode bodies for the megakernel (`--opcodes OPS.cl`, vyre-opcodes(7)):
// OpenCL C where `VYRE_OPCODE(N) { ... }` defines the body of opcode N, N in
// the publishable user range (8..0xFFEF, 0x10000..0x7FFFFFFF), each N once.
// The bodies are compiled into the megakernel after its own source; the
// compiler's messages name the file and its own lines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vyre {

struct UserOpcode {
  uint32_t value = 0;
  uint32_t line = 0;  // of its VYRE_OPCODE header in the file
};

class UserOpcodes {
 public:
  // No user opcodes: the megakernel as it is.
  UserOpcodes() = default;
  // Parses `text` (the contents of `name`): finds each VYRE_OPCODE(N)
  // header outside comments and checks N. Throws InvalidInput naming
  // "name:LINE" for a bad, out-of-range or repeated N, or a file without any.
  static UserOpcodes parse(std::string_view text, std::string name);
  static UserOpcodes load(const std::string& path);

  bool empty() const { return ops_.empty(); }
  const std::string& name() const { return name_; }
  const std::vector<UserOpcode>& ops() const { return ops_; }
  // What is appended to the megakernel source: the bodies as functions, and
  // run_user_op (which runs none without user opcodes).
  std::string kernel_source() const;
  // A short digest of the file's content: a server and its client compare it.
  std::string digest() const;

 private:
  std::string name_, text_;
  std::vector<UserOpcode> ops_;
};

}  // namespace vyre
