#include <doctest/doctest.h>

#include "vyre/error.h"
#include "vyre/resource_map.h"

using namespace vyre;

TEST_CASE("resource ids map to files relative to the map") {
  const ResourceMap m = parse_resource_map(R"({"7": "w.bin", "0x10": "/abs/x.bin", "comment": "ignored"})", "data/map.json");
  CHECK(m.size() == 2);
  CHECK(m.at(7) == "data/w.bin");
  CHECK(m.at(16) == "/abs/x.bin");
  CHECK_THROWS_WITH_AS(parse_resource_map(R"({"7": "a", "0x7": "b"})", "m.json"),
                       doctest::Contains("resource id 7 is mapped twice"), Error);
  CHECK_THROWS_WITH_AS(parse_resource_map(R"({"x": "a"})", "m.json"), doctest::Contains("key is not a u32 resource id"),
                       Error);
  CHECK_THROWS_WITH_AS(parse_resource_map(R"({"7": 3})", "m.json"), doctest::Contains("expected a file path"), Error);
  CHECK_THROWS_WITH_AS(parse_resource_map("[]", "m.json"), doctest::Contains("m.json: (document root)"), Error);
}
