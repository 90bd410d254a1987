#include <doctest/doctest.h>

#include "vyre/control.h"
#include "vyre/detail/words.h"
#include "vyre/error.h"

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
