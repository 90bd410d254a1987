// PRINTF format tables: JSON objects mapping fmt ids ("7" or "0x7") to
// strings with {0} {1} {2} (record words 1..3), {slot} and {fmt}
// placeholders, each optionally with a conversion (:d, :i, :x, :X, :#x);
// "{{" and "}}" are literal braces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vyre/debug_log.h"

namespace vyre {

class FormatTable {
 public:
  // Throws InvalidInput naming "<source>: <fmt id>" for a bad entry.
  static FormatTable parse_text(std::string_view text, std::string_view source);

  // The formatted text of `record`, or nullopt when its fmt id has no entry.
  std::optional<std::string> format(const DebugRecord& record) const;
  size_t size() const { return formats_.size(); }

 private:
  struct Piece {
    enum class Kind { Literal, Word, Slot, Fmt } kind = Kind::Literal;
    int word = 0;
    std::string conversion;
    std::string literal;
  };
  std::unordered_map<uint32_t, std::vector<Piece>> formats_;
};

// "slot 3 fmt 7: 42 43", the plain line of a record.
std::string plain_record_line(const DebugRecord& record);

}  // namespace vyre
