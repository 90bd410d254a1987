#include <doctest/doctest.h>

#include "vyre/error.h"
#include "vyre/format_table.h"

using namespace vyre;

TEST_CASE("placeholders, conversions and escapes") {
  const FormatTable t = FormatTable::parse_text(
      R"({"7": "a={0} b={1:x} c={2:#x} i={0:i} s={slot} f={fmt:X} {{ok}}", "0x8": "plain"})", "f.json");
  CHECK(t.size() == 2);
  const DebugRecord r{7, {0xFFFFFFFFu, 255, 48}};
  CHECK(t.format(r) == "a=4294967295 b=ff c=0x30 i=-1 s=3 f=7 {ok}");
  CHECK(t.format(DebugRecord{8, {}}) == "plain");
  CHECK_FALSE(t.format(DebugRecord{9, {}}));
  CHECK(plain_record_line(r) == "slot 3 fmt 7: 4294967295 255");
}

TEST_CASE("bad format tables name the entry") {
  CHECK_THROWS_WITH_AS(FormatTable::parse_text(R"({"x": "a"})", "f.json"),
                       doctest::Contains("f.json: \"x\": key is not a u32 fmt id"), Error);
  CHECK_THROWS_WITH_AS(FormatTable::parse_text(R"({"1": "{0:q}"})", "f.json"),
                       doctest::Contains("unknown conversion \":q\""), Error);
  CHECK_THROWS_WITH_AS(FormatTable::parse_text(R"({"1": "{0"})", "f.json"), doctest::Contains("unterminated"), Error);
  CHECK_THROWS_WITH_AS(FormatTable::parse_text(R"({"1": 5})", "f.json"), doctest::Contains("expected a format string"),
                       Error);
}
