#include "vyre/error.h"

#include <initializer_list>

namespace vyre {

namespace {
// Joins message parts with append: GCC 12 reports a false -Wrestrict on
// chains of std::string operator+ (GCC bug 105329).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out.append(p);
  return out;
}
}  // namespace

Error Error::byte_length_overflow(std::string buffer, std::string fix) {
  Error e(ErrorKind::ByteLengthOverflow, cat({buffer, " byte length overflow. Fix: ", fix}));
  e.buffer_ = std::move(buffer);
  e.fix_ = std::move(fix);
  return e;
}

Error Error::misaligned_byte_length(std::string buffer, uint64_t byte_len, std::string fix) {
  Error e(ErrorKind::MisalignedByteLength,
          cat({buffer, " has ", std::to_string(byte_len), " bytes, not a whole number of u32 words. Fix: ", fix}));
  e.buffer_ = std::move(buffer);
  e.byte_len_ = byte_len;
  e.fix_ = std::move(fix);
  return e;
}

Error Error::missing_word(std::string buffer, uint64_t word_idx, uint64_t byte_len, std::string fix) {
  Error e(ErrorKind::MissingWord, cat({buffer, " is missing word ", std::to_string(word_idx), " in ",
                                       std::to_string(byte_len), " bytes. Fix: ", fix}));
  e.buffer_ = std::move(buffer);
  e.word_idx_ = word_idx;
  e.byte_len_ = byte_len;
  e.fix_ = std::move(fix);
  return e;
}

Error Error::queue_full(std::string fix, std::string queue) {
  // Upstream's Display text hard-codes the io_uring wording for every queue.
  Error e(ErrorKind::QueueFull, cat({"io_uring ", queue, " queue at capacity. Fix: ", fix}));
  e.queue_ = std::move(queue);
  e.fix_ = std::move(fix);
  return e;
}

Error Error::backend(std::string message) {
  Error e(ErrorKind::Backend, cat({"backend error: ", message}));
  e.fix_ = std::move(message);  // the Backend(String) payload
  return e;
}

Error Error::invalid_input(std::string where, std::string what, std::string fix) {
  Error e(ErrorKind::InvalidInput, cat({where, ": ", what, ". Fix: ", fix}));
  e.where_ = std::move(where);
  e.fix_ = std::move(fix);
  return e;
}

Error Error::io(std::string path, std::string what, std::string fix) {
  Error e(ErrorKind::Io, cat({path, ": ", what, ". Fix: ", fix}));
  e.where_ = std::move(path);
  e.fix_ = std::move(fix);
  return e;
}

Error Error::usage(std::string what, std::string fix) {
  Error e(ErrorKind::Usage, cat({what, ". Fix: ", fix}));
  e.fix_ = std::move(fix);
  return e;
}

Error Error::remote(ErrorKind kind, std::string message) { return Error(kind, std::move(message)); }

ErrorKind Error::kind_from_variant(std::string_view name) {
  for (ErrorKind k : {ErrorKind::ByteLengthOverflow, ErrorKind::MisalignedByteLength, ErrorKind::MissingWord,
                      ErrorKind::QueueFull, ErrorKind::Backend, ErrorKind::InvalidInput, ErrorKind::Io, ErrorKind::Usage})
    if (remote(k, "").variant() == name) return k;
  return ErrorKind::InvalidInput;
}

int Error::exit_code() const {
  switch (kind_) {
    case ErrorKind::Usage: return 1;
    case ErrorKind::Io: return 3;
    default: return 2;
  }
}

std::string_view Error::layer() const {
  switch (kind_) {
    case ErrorKind::ByteLengthOverflow:
    case ErrorKind::MisalignedByteLength:
    case ErrorKind::MissingWord:
      return "ProtocolError";
    case ErrorKind::QueueFull:
    case ErrorKind::Backend:
      return "PipelineError";
    default:
      return "VyreError";
  }
}

std::string_view Error::variant() const {
  switch (kind_) {
    case ErrorKind::ByteLengthOverflow: return "ByteLengthOverflow";
    case ErrorKind::MisalignedByteLength: return "MisalignedByteLength";
    case ErrorKind::MissingWord: return "MissingWord";
    case ErrorKind::QueueFull: return "QueueFull";
    case ErrorKind::Backend: return "Backend";
    case ErrorKind::InvalidInput: return "InvalidInput";
    case ErrorKind::Io: return "Io";
    case ErrorKind::Usage: return "Usage";
  }
  return "Unknown";
}

Error Error::to_pipeline() const {
  switch (kind_) {
    case ErrorKind::ByteLengthOverflow:
      return queue_full(fix_);
    case ErrorKind::MisalignedByteLength:
    case ErrorKind::MissingWord:
      return backend(what());
    default:
      return *this;
  }
}

Error Error::with_context(std::string_view context) const {
  Error e = *this;
  static_cast<std::runtime_error&>(e) = std::runtime_error(cat({context, ": ", what()}));
  return e;
}

}  // namespace vyre
