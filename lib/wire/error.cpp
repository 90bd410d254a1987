#include "vyre/error.h"

#include "vyre/exit_codes.h"

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

Error::Error(ErrorKind kind, std::string prefix, std::string summary, std::string fix)
    : std::runtime_error(""), kind_(kind), prefix_(std::move(prefix)), summary_(std::move(summary)), fix_(std::move(fix)) {
  static_cast<std::runtime_error&>(*this) = std::runtime_error(compose());
}

std::string Error::compose() const {
  // QueueFull's summary is empty: its Display text is "io_uring ... at
  // capacity. Fix: ...".
  std::string text = cat({context_, context_.empty() ? "" : ": ", prefix_, summary_});
  if (!fix_.empty()) text.append(cat({". Fix: ", fix_}));
  return text;
}

Error Error::byte_length_overflow(std::string buffer, std::string fix) {
  Error e(ErrorKind::ByteLengthOverflow, "", cat({buffer, " byte length overflow"}), std::move(fix));
  e.buffer_ = std::move(buffer);
  return e;
}

Error Error::misaligned_byte_length(std::string buffer, uint64_t byte_len, std::string fix) {
  Error e(ErrorKind::MisalignedByteLength, "",
          cat({buffer, " has ", std::to_string(byte_len), " bytes, not a whole number of u32 words"}), std::move(fix));
  e.buffer_ = std::move(buffer);
  e.byte_len_ = byte_len;
  return e;
}

Error Error::missing_word(std::string buffer, uint64_t word_idx, uint64_t byte_len, std::string fix) {
  Error e(ErrorKind::MissingWord, "",
          cat({buffer, " is missing word ", std::to_string(word_idx), " in ", std::to_string(byte_len), " bytes"}),
          std::move(fix));
  e.buffer_ = std::move(buffer);
  e.word_idx_ = word_idx;
  e.byte_len_ = byte_len;
  return e;
}

Error Error::queue_full(std::string fix, std::string queue) {
  // Upstream's Display text hard-codes the io_uring wording for every queue.
  Error e(ErrorKind::QueueFull, cat({"io_uring ", queue, " queue at capacity"}), "", std::move(fix));
  e.queue_ = std::move(queue);
  return e;
}

Error Error::backend(std::string message) { return Error(ErrorKind::Backend, "backend error: ", std::move(message), ""); }

Error Error::backend(std::string summary, std::string fix) {
  return Error(ErrorKind::Backend, "backend error: ", std::move(summary), std::move(fix));
}

Error Error::invalid_input(std::string where, std::string what, std::string fix) {
  Error e(ErrorKind::InvalidInput, cat({where, ": "}), std::move(what), std::move(fix));
  e.where_ = std::move(where);
  return e;
}

Error Error::io(std::string path, std::string what, std::string fix) {
  Error e(ErrorKind::Io, cat({path, ": "}), std::move(what), std::move(fix));
  e.where_ = std::move(path);
  return e;
}

Error Error::usage(std::string what, std::string fix) { return Error(ErrorKind::Usage, "", std::move(what), std::move(fix)); }

Error Error::cancelled(std::string what) { return Error(ErrorKind::Cancelled, "", std::move(what), "run it again"); }

Error Error::remote(ErrorKind kind, std::string message) { return Error(kind, "", std::move(message), ""); }

ErrorKind Error::kind_from_variant(std::string_view name) {
  for (ErrorKind k : {ErrorKind::ByteLengthOverflow, ErrorKind::MisalignedByteLength, ErrorKind::MissingWord,
                      ErrorKind::QueueFull, ErrorKind::Backend, ErrorKind::InvalidInput, ErrorKind::Io, ErrorKind::Usage,
                      ErrorKind::Cancelled})
    if (remote(k, "").variant() == name) return k;
  return ErrorKind::InvalidInput;
}

std::string Error::payload() const { return fix_.empty() ? summary_ : cat({summary_, ". Fix: ", fix_}); }

int Error::exit_code() const {
  switch (kind_) {
    case ErrorKind::Usage: return kExitUsage;
    case ErrorKind::Io: return kExitIo;
    default: return kExitInvalidInput;
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
    case ErrorKind::Cancelled: return "Cancelled";
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
  e.context_ = context_.empty() ? std::string(context) : cat({context, ": ", context_});
  static_cast<std::runtime_error&>(e) = std::runtime_error(e.compose());
  return e;
}

Error Error::with_fix(std::string fix) const {
  Error e = *this;
  // QueueFull carries its reason in the fix ("io_uring submission queue at
  // capacity. Fix: slot is not publishable"): keep it as the summary.
  if (kind_ == ErrorKind::QueueFull && summary_.empty()) {
    e.prefix_ += ": ";
    e.summary_ = fix_;
  }
  e.fix_ = std::move(fix);
  static_cast<std::runtime_error&>(e) = std::runtime_error(e.compose());
  return e;
}

}  // namespace vyre
