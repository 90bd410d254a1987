#include "golden_vectors.h"

#include <doctest/doctest.h>

#include <fstream>

namespace vyre::testing {

using nlohmann::json;

const std::filesystem::path& golden_dir() {
  static const std::filesystem::path dir = VYRE_GOLDEN_DIR;
  return dir;
}

Bytes load_golden(const std::string& name) {
  std::ifstream in(golden_dir() / name, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing golden file " << name);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

Bytes input_of(const json& e) {
  if (e.contains("input")) return load_golden(e["input"]);
  const json& p = e["params"];
  REQUIRE_MESSAGE(p.contains("byte_len"), e["name"]);
  return Bytes(p["byte_len"].get<size_t>(), 0);
}

std::vector<uint32_t> u32s(const json& a) { return a.get<std::vector<uint32_t>>(); }

json optional_len(std::optional<uint64_t> v) { return v ? json(*v) : json(nullptr); }

GoldenHandler mutator(std::function<json(const json& p, Bytes& buf)> f) {
  return [f](const json& e, Outcome& o) {
    Bytes buf = input_of(e);
    try {
      o.value = f(e["params"], buf);
    } catch (...) {
      o.bytes = buf;
      throw;
    }
    o.bytes = buf;
  };
}

GoldenHandler encoder(std::function<Bytes(const json& p)> f, bool pipeline) {
  return [f, pipeline](const json& e, Outcome& o) {
    try {
      o.bytes = f(e["params"]);
    } catch (const Error& err) {
      if (pipeline) throw err.to_pipeline();
      throw;
    }
  };
}

}  // namespace vyre::testing
