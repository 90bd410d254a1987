// Reproduces every vector in the upstream vyre-runtime 0.6 golden manifest:
// the same bytes, the same decoded values, and the same error (layer,
// variant, fields and Display text) wherever upstream errs. The handlers
// live beside their concepts (add_<concept>_vectors in <concept>_test.cpp).
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "golden_vectors.h"

using nlohmann::json;
using namespace vyre;
using namespace vyre::testing;

namespace {

json error_fields(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::ByteLengthOverflow: return {{"buffer", e.buffer()}, {"fix", e.fix()}};
    case ErrorKind::MisalignedByteLength: return {{"buffer", e.buffer()}, {"byte_len", e.byte_len()}, {"fix", e.fix()}};
    case ErrorKind::MissingWord:
      return {{"buffer", e.buffer()}, {"word_idx", e.word_idx()}, {"byte_len", e.byte_len()}, {"fix", e.fix()}};
    case ErrorKind::QueueFull: return {{"queue", e.queue()}, {"fix", e.fix()}};
    case ErrorKind::Backend: return {{"0", e.payload()}};
    default: return {{"unexpected", e.what()}};
  }
}

}  // namespace

TEST_CASE("every upstream golden vector is reproduced") {
  std::ifstream in(golden_dir() / "manifest.json");
  REQUIRE_MESSAGE(in.good(), "golden manifest not found in " << golden_dir());
  const json manifest = json::parse(in);
  GoldenHandlers table;
  for (auto add : {add_protocol_vectors, add_control_vectors, add_ring_vectors, add_slot_publish_vectors,
                   add_packed_slot_vectors, add_debug_log_vectors, add_io_queue_vectors, add_host_io_queue_vectors,
                   add_dispatch_buffers_vectors})
    add(table);
  size_t checked = 0, errors = 0;
  std::set<std::string> functions;
  for (const json& e : manifest) {
    const std::string name = e["name"];
    const std::string function = e["function"];
    CAPTURE(name);
    auto h = table.find(function);
    REQUIRE_MESSAGE(h != table.end(), "no handler for upstream function " << function);
    functions.insert(function);
    Outcome o;
    try {
      h->second(e, o);
    } catch (const Error& err) {
      o.error = err;
    }
    if (e.contains("error")) {
      ++errors;
      REQUIRE_MESSAGE(o.error.has_value(), name << ": upstream errs, we did not");
      CHECK(std::string(o.error->layer()) == e["error_type"].get<std::string>());
      CHECK(std::string(o.error->variant()) == e["error"].get<std::string>());
      CHECK(std::string(o.error->what()) == e["message"].get<std::string>());
      CHECK(error_fields(*o.error) == e["error_fields"]);
      // The buffer must be unchanged by a failed call unless upstream wrote
      // part of it (then the entry names the output).
      if (e.contains("input") && o.bytes) {
        const std::string after = e.contains("output") ? e["output"].get<std::string>() : e["input"].get<std::string>();
        CHECK_MESSAGE(*o.bytes == load_golden(after), name << ": buffer after the failed call differs");
      }
    } else {
      if (o.error) FAIL(name << ": unexpected error: " << o.error->what());
      if (e.contains("expect")) CHECK_MESSAGE(o.value == e["expect"], name << ": got " << o.value.dump());
      if (e.contains("output")) {
        REQUIRE_MESSAGE(o.bytes.has_value(), name << ": produced no bytes");
        CHECK_MESSAGE(*o.bytes == load_golden(e["output"]), name << ": bytes differ from " << e["output"]);
      }
    }
    ++checked;
  }
  CHECK(checked == 563);
  CHECK(errors == 175);
  CHECK(functions.size() == table.size());
}
