// Every built-in tasklet, on random inputs of several sizes (empty and one
// element included) and worker counts from 2 to 64, gives byte-identical
// output on the host target and on the OpenCL target (the default device:
// PoCL on CI, a GPU where present; no device fails this test), and both
// equal the plain reference result.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "grafos/builtin_tasklets.h"
#include "grafos/error.h"
#include "grafos/opencl_target.h"

using namespace grafos;

TEST_CASE("built-in tasklets: host and OpenCL outputs are byte-identical") {
  std::mt19937 rng(4242);
  const uint64_t sizes[] = {0, 1, 2, 3, 7, 64, 1000, 4099, 65537, 300001};
  const uint32_t workers[] = {2, 3, 5, 8, 17, 33, 64};
  uint32_t runs = 0;
  for (const auto& t : builtin_tasklets()) {
    for (uint64_t items : sizes) {
      const uint32_t w = workers[rng() % std::size(workers)];
      std::vector<uint8_t> input(t.u32_input ? items * 4 : items);
      for (auto& b : input) b = static_cast<uint8_t>(rng() % 7 == 0 ? 0xFF : rng());
      CAPTURE(t.name);
      CAPTURE(items);
      CAPTURE(w);
      TaskletConfig config = builtin_config(t, input.size(), w);
      if (rng() % 2) config.max_fuel = 1'000'000;
      const auto expected = builtin_expected_output(t.name, input);
      REQUIRE(t.output_bytes(input.size()) == expected.size());
      const auto host = t.run_host(config, input);
      const auto device = run_opencl_tasklet(config, builtin_tasklet_source(t.kernel_file), std::string(t.name), input,
                                             expected.size(), {});
      REQUIRE(host.output == expected);
      REQUIRE(device.result.output == expected);
      CHECK(host.fuel_consumed == device.result.fuel_consumed);
      CHECK(host.phases == device.result.phases);
      ++runs;
    }
  }
  CHECK(runs == 40);
}

TEST_CASE("every worker count from 2 to 64 gives the same sort") {
  std::mt19937 rng(7);
  std::vector<uint8_t> input(4 * 5003);
  for (auto& b : input) b = static_cast<uint8_t>(rng());
  const auto& t = *find_builtin_tasklet("sort");
  const auto expected = builtin_expected_output("sort", input);
  for (uint32_t w = 2; w <= 64; ++w) {
    CAPTURE(w);
    const TaskletConfig config = builtin_config(t, input.size(), w);
    REQUIRE(t.run_host(config, input).output == expected);
    REQUIRE(run_opencl_tasklet(config, builtin_tasklet_source(t.kernel_file), "sort", input, expected.size(), {})
                .result.output == expected);
  }
}

TEST_CASE("fuel exhaustion mid-run is FuelExhausted on both targets") {
  std::vector<uint8_t> input(1 << 20, 1);
  const auto& t = *find_builtin_tasklet("histogram");
  TaskletConfig config = builtin_config(t, input.size(), 4);
  // Each lane pays per 64 KiB chunk of its share, rounding up to 4 KiB units.
  uint64_t need = 0;
  for (uint32_t i = 0; i < 3; ++i) {
    const Partition p = partition(input.size(), 3, i);
    for (uint64_t c = p.begin; c < p.end; c += kFuelChunkBytes) need += fuel_units(std::min(c + kFuelChunkBytes, p.end) - c);
  }
  CHECK(need == 258);
  config.max_fuel = 100;
  CHECK_THROWS_AS(t.run_host(config, input), FuelExhausted);
  CHECK_THROWS_AS(run_opencl_tasklet(config, builtin_tasklet_source(t.kernel_file), "histogram", input, 2048, {}),
                  FuelExhausted);
  config.max_fuel = need - 1;  // one unit short
  CHECK_THROWS_AS(t.run_host(config, input), FuelExhausted);
  config.max_fuel = need;  // exactly enough
  CHECK(t.run_host(config, input).fuel_consumed == need);
  CHECK(run_opencl_tasklet(config, builtin_tasklet_source(t.kernel_file), "histogram", input, 2048, {})
            .result.fuel_consumed == need);
}

TEST_CASE("a tasklet that breaks the contract is a clear error, not a hang") {
  TaskletConfig config;
  config.workers = 3;
  const std::string never_finishes = R"(
    __kernel void grafos_worker(GRAFOS_PARAMS) {}
    __kernel void grafos_coordinator(GRAFOS_PARAMS) {})";
  CHECK_THROWS_AS(run_opencl_tasklet(config, never_finishes, "bad.cl", {}, 64, {}), TaskletError);
  CHECK_THROWS_WITH_AS(run_opencl_tasklet(config, "this is not OpenCL C", "broken.cl", {}, 64, {}),
                       doctest::Contains("broken.cl"), TaskletError);
}
