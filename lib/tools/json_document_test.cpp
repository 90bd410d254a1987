#include <doctest/doctest.h>

#include "vyre/error.h"
#include "vyre/json_document.h"

using namespace vyre;

TEST_CASE("a key written twice is an error naming the second one's path") {
  CHECK_THROWS_WITH_AS(parse_json_document(R"({"a": 1, "a": 2})", "x.json"),
                       "x.json: a: key \"a\" appears twice in this object. Fix: keep one of them (JSON readers disagree "
                       "on which one counts)",
                       Error);
  CHECK_THROWS_WITH_AS(parse_json_document(R"({"slots": [{"op": 1}, {"op": 2, "args": [], "args": []}]})", "s.json"),
                       doctest::Contains("s.json: slots[1].args: key \"args\" appears twice"), Error);
  CHECK_THROWS_WITH_AS(parse_json_document(R"([[0, {"k": [{}, {"x": 0, "x": 1}]}]])", "n.json"),
                       doctest::Contains("n.json: [0][1].k[1].x: key \"x\""), Error);
  // The same key in different objects is fine, also many keys in one object.
  std::string many = "{";
  for (int i = 0; i < 300; ++i) many += (i ? ",\"" : "\"") + std::to_string(i) + "\": " + std::to_string(i);
  CHECK(parse_json_document(many + "}", "m.json").size() == 300);
  CHECK_THROWS_AS(parse_json_document(many + ", \"299\": 0}", "m.json"), Error);
  CHECK(parse_json_document(R"([{"a": 1}, {"a": 2}])", "ok.json")[1]["a"] == 2);
}

TEST_CASE("syntax errors name the byte offset") {
  CHECK_THROWS_WITH_AS(parse_json_document("{\"a\": [1, 2,]}", "bad.json"), doctest::Contains("bad.json: byte offset 13"),
                       Error);
  CHECK_THROWS_WITH_AS(parse_json_document("[1E400]", "big.json"), doctest::Contains("big.json: (document)"), Error);
}
