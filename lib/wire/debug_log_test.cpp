#include <doctest/doctest.h>

#include "vyre/debug_log.h"
#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "golden_vectors.h"

using namespace vyre;

namespace {
// A log as the kernel leaves it after `printfs` PRINTFs into `capacity` records.
Bytes log_after(uint32_t capacity, uint32_t printfs) {
  Bytes log = encode_empty_debug_log(capacity);
  for (uint32_t i = 0; i < printfs; ++i) {
    const uint32_t base = 1 + 4 * i;
    if (base + 4 <= log.size() / 4)
      for (uint32_t k = 0; k < 4; ++k) detail::write_word(log, base + k, 100 * i + k);
  }
  detail::write_word(log, 0, 4 * printfs);
  return log;
}
}  // namespace

TEST_CASE("an overflowed log keeps its records and counts the dropped ones") {
  const Bytes log = log_after(3, 5);
  const DebugLogView v = decode_debug_log(log);
  CHECK(v.capacity_records == 3);
  CHECK(v.records.size() == 3);
  CHECK(v.dropped == 2);
  CHECK(v.records[2].fmt_id == 200);
  CHECK_THROWS_WITH_AS(read_debug_log(log),
                       "debug_log is missing word 21 in 52 bytes. Fix: debug-log cursor must stay within the encoded "
                       "record capacity",
                       Error);
}

TEST_CASE("a full log is not an overflow") {
  const DebugLogView v = decode_debug_log(log_after(3, 3));
  CHECK(v.dropped == 0);
  CHECK(read_debug_log(log_after(3, 3)).size() == 3);
}

TEST_CASE("a partial record is flagged, not decoded") {
  Bytes log = log_after(4, 1);
  detail::write_word(log, 0, 6);
  const DebugLogView v = decode_debug_log(log);
  CHECK(v.partial_record);
  CHECK(v.records.size() == 1);
  CHECK_THROWS_AS(read_debug_log(log), Error);
}

TEST_CASE("the record's slot is slot_base / 16") {
  DebugRecord r{7, {1, 2, 48}};
  CHECK(r.slot() == 3);
}

// Upstream's functions of this concept in the golden manifest
// (golden_vectors_test.cpp walks it).
namespace vyre::testing {
namespace {
using nlohmann::json;
}  // namespace

void add_debug_log_vectors(GoldenHandlers& h) {
  h["debug_log_byte_len"] = [](const json& e, Outcome& o) { o.value = optional_len(debug_log_byte_len(e["params"]["record_capacity"])); };
  h["try_encode_empty_debug_log"] = encoder([](const json& p) { return encode_empty_debug_log(p["record_capacity"]); }, false);
  h["Megakernel::try_encode_empty_debug_log"] = encoder([](const json& p) { return encode_empty_debug_log(p["record_capacity"]); }, true);
  h["try_encode_empty_debug_log_into"] = [](const json& e, Outcome& o) {
    Bytes buf = input_of(e);
    encode_empty_debug_log_into(e["params"]["record_capacity"], buf);
    o.bytes = buf;
  };
  auto records_json = [](const std::vector<DebugRecord>& records) {
    json out = json::array();
    for (const auto& r : records) out.push_back({{"fmt_id", r.fmt_id}, {"args", r.args}});
    return out;
  };
  h["try_read_debug_log"] = [records_json](const json& e, Outcome& o) { o.value = records_json(read_debug_log(input_of(e))); };
  h["Megakernel::try_read_debug_log"] = [records_json](const json& e, Outcome& o) {
    try {
      o.value = records_json(read_debug_log(input_of(e)));
    } catch (const Error& err) {
      throw err.to_pipeline();
    }
  };
}

}  // namespace vyre::testing
