// The built-in tasklets, each written once for the host SDK
// (lib/grafos/tasklets/) and once in OpenCL C (kernels/tasklets/; the table
// names the file, and the defines that make sort-pairs of sort.cl and
// exclusive-prefix-sum of prefix_sum.cl), with byte-identical outputs, the
// same phases and the same fuel:
//   sum                   u32 LE words -> their u64 LE sum (overflow-safe)
//   histogram             bytes -> 256 u64 LE counts
//   sort                  u32 LE words -> the same words ascending
//   sort-pairs            n u32 LE keys then n u32 LE values -> the keys
//                         ascending, then the values in the same order
//                         (stable: equal keys keep their input order)
//   prefix-sum            u32 LE words -> their inclusive prefix sums (mod 2^32)
//   exclusive-prefix-sum  u32 LE words -> their exclusive prefix sums (mod 2^32):
//                         out[0] = 0, out[i] = in[0] + ... + in[i-1]
//
// Fuel: when a pool is configured, every pass a lane makes over its share of
// the data costs 1 unit per started 4 KiB of the bytes it reads in that
// pass, paid in checkpoints of at most 16 units (one per 64 KiB chunk, so a
// share of B bytes costs fuel_units(B) per pass), identically on both
// targets. A pass is a phase that reads the lane's share of the data set:
// the input or the tasklet's own copy of it. Reading tables of counts or
// totals, and the coordinator's work, are free. So:
//   sum, histogram  1 pass over the input
//   prefix sums     2 passes: the lane's total, then its scan
//   sort            8 passes: for each of the 4 digits of 8 bits, counting
//                   reads the keys and the stable scatter reads them again
//   sort-pairs      for each digit, counting reads the keys (4 bytes each)
//                   and the scatter reads keys and values (8 bytes each)
// Shares are partition(items, data lanes, lane) on both targets, so the fuel
// a run uses depends on the input size and the worker count only.
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
  std::string_view kernel_file;     // under kernels/tasklets/
  std::string_view kernel_defines;  // put before the kernel: one file may serve two tasklets
  // The input must be whole units of this many bytes (1: any bytes), at
  // most max_input_bytes; unit_name and input_rule word the error.
  uint32_t input_unit;
  std::string_view unit_name;
  std::string_view input_rule;
  uint64_t max_input_bytes;
  // The region sizes the tasklet needs for an input of `input_len` bytes.
  RegionSizes (*sizes)(uint64_t input_len, uint32_t workers);
  // The size of its output for an input of `input_len` bytes.
  uint64_t (*output_bytes)(uint64_t input_len);
  SharedTaskletResult (*run_host)(const TaskletConfig& config, std::span<const uint8_t> input);
  // Data lanes per usable CPU (nproc) of the host target's default worker
  // count (grafos bench measured it; see kDefaultWorkersRule).
  uint32_t host_lanes_per_thread = 1;
};

const std::vector<BuiltinTasklet>& builtin_tasklets();
// A configuration with the regions `tasklet` needs for `input_len` bytes.
TaskletConfig builtin_config(const BuiltinTasklet& tasklet, uint64_t input_len, uint32_t workers);
const BuiltinTasklet* find_builtin_tasklet(std::string_view name);
// Why `input_len` bytes are not an input of `tasklet`, or "" when they are.
std::string builtin_input_problem(const BuiltinTasklet& tasklet, uint64_t input_len);

// The tasklet's plain reference result, computed without the SDK (the
// oracle of the fidelity test).
std::vector<uint8_t> builtin_expected_output(std::string_view name, std::span<const uint8_t> input);

}  // namespace grafos
