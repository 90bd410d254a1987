// The one error type of libvyre. Codec functions throw vyre::Error; the
// drivers alone print it and pick the exit code.
//
// Upstream has two layers: ProtocolError (the codec) and PipelineError (the
// Megakernel API, which wraps the codec). Both are kinds of this one type so
// that messages stay byte-identical to upstream's Display text; to_pipeline()
// performs upstream's mapping from the first layer to the second.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vyre {

enum class ErrorKind {
  // ProtocolError variants.
  ByteLengthOverflow,
  MisalignedByteLength,
  MissingWord,
  // PipelineError variants.
  QueueFull,
  Backend,
  // This project's own: malformed input that upstream has no variant for
  // (a JSON spec, a buffer of the wrong shape); carries where and the fix.
  InvalidInput,
  // A file could not be read or written.
  Io,
  // The invocation itself is wrong (e.g. binary output to a terminal).
  Usage,
  // A stop was requested (the caller's stop token) before the work ended.
  Cancelled,
};

class Error : public std::runtime_error {
 public:
  static Error byte_length_overflow(std::string buffer, std::string fix);
  static Error misaligned_byte_length(std::string buffer, uint64_t byte_len, std::string fix);
  static Error missing_word(std::string buffer, uint64_t word_idx, uint64_t byte_len, std::string fix);
  static Error queue_full(std::string fix, std::string queue = "submission");
  // Backend(String): `message` is the payload, shown after "backend error: ".
  static Error backend(std::string message);
  // The same with a fix: the payload is "summary. Fix: fix".
  static Error backend(std::string summary, std::string fix);
  // `where` names the buffer or file and the offset or JSON path.
  static Error invalid_input(std::string where, std::string what, std::string fix);
  static Error io(std::string path, std::string what, std::string fix);
  static Error usage(std::string what, std::string fix);
  static Error cancelled(std::string what);
  // An error of a kind with its final message, as received from a server.
  static Error remote(ErrorKind kind, std::string message);
  // The kind whose variant() is `name` (InvalidInput when unknown).
  static ErrorKind kind_from_variant(std::string_view name);

  ErrorKind kind() const { return kind_; }
  // "ProtocolError" or "PipelineError" for upstream kinds, else "VyreError".
  std::string_view layer() const;
  // Upstream's variant name (ByteLengthOverflow, QueueFull, ...).
  std::string_view variant() const;
  const std::string& buffer() const { return buffer_; }
  // What went wrong, without the context in front and the fix behind.
  const std::string& summary() const { return summary_; }
  // What to do about it (may be empty).
  const std::string& fix() const { return fix_; }
  // Backend's String payload: the summary and the fix as upstream joins them.
  std::string payload() const;
  const std::string& queue() const { return queue_; }
  const std::string& where() const { return where_; }
  uint64_t word_idx() const { return word_idx_; }
  uint64_t byte_len() const { return byte_len_; }
  bool is_io() const { return kind_ == ErrorKind::Io; }
  // The documented exit code of a tool that fails with this error:
  // 1 usage, 2 invalid input, 3 I/O.
  int exit_code() const;

  // Upstream's protocol_error(): ByteLengthOverflow becomes
  // QueueFull{submission, fix}; other protocol errors become Backend(text).
  Error to_pipeline() const;

  // The same error with context ("ring.bin") in front of its message.
  Error with_context(std::string_view context) const;
  // The same error with another fix: a tool replaces a library's advice
  // (which names library calls) with what its user can do.
  Error with_fix(std::string fix) const;

 private:
  // `prefix` stands before the summary in the message ("backend error: ",
  // "io_uring submission queue at capacity"), as upstream's Display text has it.
  Error(ErrorKind kind, std::string prefix, std::string summary, std::string fix);
  std::string compose() const;
  ErrorKind kind_;
  std::string context_, prefix_, summary_, fix_;
  std::string buffer_, queue_, where_;
  uint64_t word_idx_ = 0, byte_len_ = 0;
};

}  // namespace vyre
