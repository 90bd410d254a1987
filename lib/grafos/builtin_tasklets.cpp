// The table of built-in tasklets and their plain reference results. Each
// tasklet's host form is in tasklets/<name>.cpp, its OpenCL form in
// kernels/tasklets/<name>.cl.
#include "grafos/builtin_tasklets.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <numeric>

#include "tasklets/host_tasklets.h"

namespace grafos {

namespace {

using namespace host_tasklets;

constexpr std::string_view kWords = "u32 words";
constexpr std::string_view kWordsRule = "pass little-endian u32 words (a multiple of 4 bytes)";
// The sort counts keys in u32.
constexpr uint64_t kMaxKeys = UINT32_MAX;

uint64_t whole_words(uint64_t input_len) { return input_len / 4 * 4; }
uint64_t whole_pairs(uint64_t input_len) { return input_len / 8 * 8; }

}  // namespace

const std::vector<BuiltinTasklet>& builtin_tasklets() {
  static const std::vector<BuiltinTasklet> all = {
      {"sum", "u32 LE words -> u64 LE sum", "sum.cl", "", 4, kWords, kWordsRule, UINT64_MAX, sum_sizes,
       [](uint64_t) -> uint64_t { return 8; }, sum_host},
      {"histogram", "bytes -> 256 u64 LE counts", "histogram.cl", "", 1, "bytes", "", UINT64_MAX, histogram_sizes,
       [](uint64_t) -> uint64_t { return 256 * 8; }, histogram_host},
      {"sort", "u32 LE words -> ascending u32 LE words", "sort.cl", "", 4, kWords, kWordsRule, 4 * kMaxKeys,
       sort_sizes, whole_words, sort_host},
      {"sort-pairs", "n u32 LE keys, then n values -> keys ascending, values alongside (stable)", "sort.cl",
       "#define GRAFOS_SORT_PAIRS 1\n", 8, "key/value pairs",
       "pass n little-endian u32 keys then n u32 values (an even number of words, a multiple of 8 bytes)",
       8 * kMaxKeys, sort_sizes, whole_pairs, sort_pairs_host},
      {"prefix-sum", "u32 LE words -> inclusive prefix sums (mod 2^32)", "prefix_sum.cl", "", 4, kWords, kWordsRule,
       UINT64_MAX, prefix_sum_sizes, whole_words, prefix_sum_host, 2},
      {"exclusive-prefix-sum", "u32 LE words -> exclusive prefix sums (mod 2^32), starting at 0", "prefix_sum.cl",
       "#define GRAFOS_EXCLUSIVE_SCAN 1\n", 4, kWords, kWordsRule, UINT64_MAX, prefix_sum_sizes, whole_words,
       exclusive_prefix_sum_host, 2},
  };
  return all;
}

TaskletConfig builtin_config(const BuiltinTasklet& tasklet, uint64_t input_len, uint32_t workers) {
  TaskletConfig c;
  c.workers = workers;
  const RegionSizes need = tasklet.sizes(input_len, workers);
  c.shared_bytes = need.shared_bytes;
  c.scratch_bytes_per_worker = need.scratch_bytes_per_worker;
  return c;
}

const BuiltinTasklet* find_builtin_tasklet(std::string_view name) {
  for (const auto& t : builtin_tasklets())
    if (t.name == name) return &t;
  return nullptr;
}

std::string builtin_input_problem(const BuiltinTasklet& t, uint64_t input_len) {
  const std::string name(t.name);
  if (input_len % t.input_unit != 0)
    return "input of " + name + " has " + std::to_string(input_len) + " bytes, not whole " + std::string(t.unit_name);
  if (input_len > t.max_input_bytes)
    return "input of " + name + " has " + std::to_string(input_len) + " bytes, more than its limit of " +
           std::to_string(t.max_input_bytes);
  return "";
}

std::vector<uint8_t> builtin_expected_output(std::string_view name, std::span<const uint8_t> input) {
  const uint64_t n = input.size() / 4;
  std::vector<uint32_t> words(n);
  if (n) std::memcpy(words.data(), input.data(), n * 4);
  auto bytes_of = [](const auto& v) {
    const auto* p = reinterpret_cast<const uint8_t*>(v.data());
    return std::vector<uint8_t>(p, p + v.size() * sizeof(v[0]));
  };
  if (name == "sum") {
    uint64_t s = 0;
    for (uint32_t w : words) s += w;
    return bytes_of(std::array<uint64_t, 1>{s});
  }
  if (name == "histogram") {
    std::array<uint64_t, 256> h{};
    for (uint8_t b : input) ++h[b];
    return bytes_of(h);
  }
  if (name == "sort") {
    std::sort(words.begin(), words.end());
    return bytes_of(words);
  }
  if (name == "sort-pairs") {
    const uint64_t pairs = n / 2;
    std::vector<uint64_t> order(pairs);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](uint64_t a, uint64_t b) { return words[a] < words[b]; });
    std::vector<uint32_t> out(2 * pairs);
    for (uint64_t i = 0; i < pairs; ++i) {
      out[i] = words[order[i]];
      out[pairs + i] = words[pairs + order[i]];
    }
    return bytes_of(out);
  }
  const bool exclusive = name == "exclusive-prefix-sum";
  uint32_t acc = 0;
  for (uint32_t& w : words) {
    const uint32_t x = w;
    w = exclusive ? acc : acc + x;
    acc += x;
  }
  return bytes_of(words);
}

}  // namespace grafos
