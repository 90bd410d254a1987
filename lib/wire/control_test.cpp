#include <doctest/doctest.h>

#include "vyre/control.h"
#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "golden_vectors.h"

using namespace vyre;

TEST_CASE("default priority offsets give the remainder to NORMAL") {
  using A = std::array<uint32_t, 6>;
  CHECK(default_priority_offsets(10) == A{0, 2, 4, 6, 8, 10});
  CHECK(default_priority_offsets(7) == A{0, 1, 2, 5, 6, 7});
  CHECK(default_priority_offsets(1) == A{0, 0, 0, 1, 1, 1});
  CHECK(default_priority_offsets(0) == A{0, 0, 0, 0, 0, 0});
}

TEST_CASE("decode_control names every region") {
  Bytes c = encode_control(true, 2, 4);
  write_default_priority_offsets(c, 10);
  detail::write_word(c, protocol::control::DONE_COUNT, 17);
  detail::write_word(c, protocol::control::METRICS_BASE + 7, 3);
  detail::write_word(c, protocol::control::EPOCH, 5);
  detail::write_word(c, 150, 99);  // a reserved word only a foreign writer sets
  detail::write_word(c, protocol::control::OBSERVABLE_BASE + 3, 42);
  const ControlView v = decode_control(c);
  CHECK(v.shutdown == 1);
  CHECK(v.done_count == 17);
  CHECK(v.tenant_base == 3);
  REQUIRE(v.tenant_masks.size() == 29);
  CHECK(v.tenant_masks[0] == 0xFFFFFFFFu);
  CHECK(v.tenant_masks[1] == 0xFFFFFFFFu);
  CHECK(v.tenant_masks[2] == 0);
  CHECK(v.tenant_quotas[1] == 1'000'000);
  CHECK(v.tenant_quotas[2] == 0);
  CHECK(v.metrics[7] == 3);
  CHECK(v.epoch == 5);
  CHECK(v.priority_offsets == std::array<uint32_t, 6>{0, 2, 4, 6, 8, 10});
  REQUIRE(v.reserved_nonzero.size() == 1);
  CHECK(v.reserved_nonzero[0] == MetricPair{150, 99});
  CHECK(v.observables == std::vector<uint32_t>{0, 0, 0, 42});
  CHECK(v.mask_of(1, c) == 0xFFFFFFFFu);
  CHECK(v.mask_of(1000, c) == std::nullopt);
}

TEST_CASE("control buffers below 160 words are refused") {
  Bytes c(636, 0);
  CHECK_THROWS_WITH_AS(decode_control(c),
                       "backend error: megakernel control buffer has 636 bytes, expected at least 640 bytes and "
                       "4-byte alignment. Fix: build it with Megakernel::encode_control.",
                       Error);
}

TEST_CASE("lenient readers never throw") {
  Bytes c(7, 0);
  CHECK(read_observable_or_zero(c, 0) == 0);
  CHECK(read_metrics_lenient(c).empty());
  CHECK_THROWS_AS(read_epoch(c), Error);
}

// Upstream's functions of this concept in the golden manifest
// (golden_vectors_test.cpp walks it).
namespace vyre::testing {
namespace {
using nlohmann::json;
json metrics_json(const std::vector<MetricPair>& m) {
  json out = json::array();
  for (auto [slot, count] : m) out.push_back({slot, count});
  return out;
}
}  // namespace

void add_control_vectors(GoldenHandlers& h) {
  h["control_byte_len"] = [](const json& e, Outcome& o) { o.value = optional_len(control_byte_len(e["params"]["observable_slots"])); };
  h["try_encode_control"] = encoder([](const json& p) { return encode_control(p["shutdown"], p["tenant_count"], p["observable_slots"]); }, false);
  h["Megakernel::try_encode_control"] = encoder([](const json& p) { return encode_control(p["shutdown"], p["tenant_count"], p["observable_slots"]); }, true);
  h["try_encode_control_into"] = [](const json& e, Outcome& o) {
    const json& p = e["params"];
    Bytes buf = input_of(e);
    try {
      encode_control_into(p["shutdown"], p["tenant_count"], p["observable_slots"], buf);
    } catch (...) {
      o.bytes = buf;
      throw;
    }
    o.bytes = buf;
  };
  h["default_priority_offsets"] = [](const json& e, Outcome& o) { o.value = default_priority_offsets(e["params"]["total_slots"]); };
  h["write_default_priority_offsets"] = mutator([](const json& p, Bytes& buf) {
    write_default_priority_offsets(buf, p["total_slots"]);
    return json(nullptr);
  });
  h["try_read_done_count"] = [](const json& e, Outcome& o) { o.value = read_done_count(input_of(e)); };
  h["Megakernel::try_read_done_count"] = [](const json& e, Outcome& o) {
    try {
      o.value = read_done_count(input_of(e));
    } catch (const Error& err) {
      throw err.to_pipeline();
    }
  };
  h["try_read_epoch"] = [](const json& e, Outcome& o) { o.value = read_epoch(input_of(e)); };
  h["try_read_metrics"] = [](const json& e, Outcome& o) { o.value = metrics_json(read_metrics(input_of(e))); };
  h["read_metrics"] = [](const json& e, Outcome& o) { o.value = metrics_json(read_metrics_lenient(input_of(e))); };
  h["try_read_observable"] = [](const json& e, Outcome& o) {
    const uint64_t index = e["params"]["index"];
    // Indices past u32 model upstream's u32 overflow of OBSERVABLE_BASE + index.
    o.value = read_observable(input_of(e), static_cast<uint32_t>(std::min<uint64_t>(index, 0xFFFFFFFFu)));
  };
  h["Megakernel::try_read_observable"] = [](const json& e, Outcome& o) {
    try {
      o.value = read_observable(input_of(e), e["params"]["index"]);
    } catch (const Error& err) {
      throw err.to_pipeline();
    }
  };
  h["read_observable"] = [](const json& e, Outcome& o) {
    const uint64_t index = e["params"]["index"];
    o.value = read_observable_or_zero(input_of(e), static_cast<uint32_t>(std::min<uint64_t>(index, 0xFFFFFFFFu)));
  };
}

}  // namespace vyre::testing
