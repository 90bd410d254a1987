// The upstream vyre-runtime 0.6 golden manifest (testdata/upstream): each
// vector names an upstream function, its parameters and what it returned,
// wrote or how it erred. Each concept's test file adds the handlers of its
// functions (add_<concept>_vectors); golden_vectors_test.cpp walks the
// manifest and holds every vector to them.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vyre/control.h"
#include "vyre/error.h"

namespace vyre::testing {

struct Outcome {
  std::optional<Error> error;
  nlohmann::json value;         // the decoded / returned value
  std::optional<Bytes> bytes;   // output bytes (encoders) or the buffer after the call
};

// Runs one vector's call: fills `o`, or throws the vyre::Error upstream's call gave.
using GoldenHandler = std::function<void(const nlohmann::json& entry, Outcome& o)>;
using GoldenHandlers = std::map<std::string, GoldenHandler>;

const std::filesystem::path& golden_dir();
Bytes load_golden(const std::string& name);
// The input buffer of an entry: a stored .bin or one described by byte_len.
Bytes input_of(const nlohmann::json& entry);
std::vector<uint32_t> u32s(const nlohmann::json& array);
nlohmann::json optional_len(std::optional<uint64_t> v);

// A call that changes a buffer: the outcome's bytes are the buffer after the
// call, also when it fails (the walk then checks it is unchanged unless the
// entry names an output).
GoldenHandler mutator(std::function<nlohmann::json(const nlohmann::json& params, Bytes& buffer)> f);
// An encoder called directly, or through upstream's Megakernel wrapper
// (`pipeline`), which maps protocol errors to pipeline errors.
GoldenHandler encoder(std::function<Bytes(const nlohmann::json& params)> f, bool pipeline);

void add_protocol_vectors(GoldenHandlers& h);
void add_control_vectors(GoldenHandlers& h);
void add_ring_vectors(GoldenHandlers& h);
void add_slot_publish_vectors(GoldenHandlers& h);
void add_packed_slot_vectors(GoldenHandlers& h);
void add_debug_log_vectors(GoldenHandlers& h);
void add_io_queue_vectors(GoldenHandlers& h);
void add_host_io_queue_vectors(GoldenHandlers& h);
void add_dispatch_buffers_vectors(GoldenHandlers& h);

}  // namespace vyre::testing
