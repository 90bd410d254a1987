// The built-in tasklets, each written once for the host SDK
// (lib/grafos/builtin_tasklets.cpp) and once in OpenCL C
// (kernels/tasklets/<name>.cl), with byte-identical outputs:
//   sum         u32 LE words -> their u64 LE sum (overflow-safe)
//   histogram   bytes -> 256 u64 LE counts
//   sort        u32 LE words -> the same words ascending
//   prefix-sum  u32 LE words -> their inclusive prefix sums (mod 2^32)
// Fuel: when a pool is configured each lane pays 1 unit per started 4 KiB of
// input it reads, checked once per 64 KiB chunk, identically on both targets.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "grafos/config.h"

namespace grafos {

inline constexpr uint64_t kFuelChunkBytes = 64 * 1024;
inline constexpr uint64_t kFuelUnitBytes = 4096;
constexpr uint64_t fuel_units(uint64_t bytes) { return (bytes + kFuelUnitBytes - 1) / kFuelUnitBytes; }

struct RegionSizes {
  uint64_t shared_bytes = 0, scratch_bytes_per_worker = 0;
};

struct BuiltinTasklet {
  std::string_view name;
  std::string_view summary;
  std::string_view kernel_file;  // under kernels/tasklets/
  bool u32_input;                // input must be whole u32 words
  // The region sizes the tasklet needs for an input of `input_len` bytes.
  RegionSizes (*sizes)(uint64_t input_len, uint32_t workers);
  // The size of its output for an input of `input_len` bytes.
  uint64_t (*output_bytes)(uint64_t input_len);
  SharedTaskletResult (*run_host)(const TaskletConfig& config, std::span<const uint8_t> input);
};

const std::vector<BuiltinTasklet>& builtin_tasklets();
// A configuration with the regions `tasklet` needs for `input_len` bytes.
TaskletConfig builtin_config(const BuiltinTasklet& tasklet, uint64_t input_len, uint32_t workers);
const BuiltinTasklet* find_builtin_tasklet(std::string_view name);

// The tasklet's plain reference result, computed without the SDK (the
// oracle of the fidelity test).
std::vector<uint8_t> builtin_expected_output(std::string_view name, std::span<const uint8_t> input);

}  // namespace grafos
