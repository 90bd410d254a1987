// Reproduces every vector in the upstream vyre-runtime 0.6 golden manifest:
// the same bytes, the same decoded values, and the same error (layer,
// variant, fields and Display text) wherever upstream errs.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "vyre/host_io_queue.h"
#include "vyre/packed_slot.h"
#include "vyre/slot_publish.h"
#include "vyre/control.h"
#include "vyre/debug_log.h"
#include "vyre/error.h"
#include "vyre/io_queue.h"
#include "vyre/dispatch_buffers.h"
#include "vyre/ring.h"

using nlohmann::json;
using namespace vyre;

namespace {

const std::filesystem::path kGolden = VYRE_GOLDEN_DIR;

Bytes load_bin(const std::string& name) {
  std::ifstream in(kGolden / name, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing golden file " << name);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

// The input buffer of an entry: a stored .bin or a described one.
Bytes input_of(const json& e) {
  if (e.contains("input")) return load_bin(e["input"]);
  const json& p = e["params"];
  REQUIRE_MESSAGE(p.contains("byte_len"), e["name"]);
  return Bytes(p["byte_len"].get<size_t>(), 0);
}

struct Outcome {
  std::optional<Error> error;
  json value;                 // the decoded / returned value
  std::optional<Bytes> bytes; // output bytes (encoders) or the buffer after the call
};

std::vector<uint32_t> u32s(const json& a) { return a.get<std::vector<uint32_t>>(); }

std::vector<WorkItem> work_items(const json& items) {
  std::vector<WorkItem> out;
  for (const auto& i : items)
    out.push_back({i["op_handle"], i["input_handle"], i["output_handle"], i["param"]});
  return out;
}

json request_json(const IoRequest& r) {
  return {{"slot_idx", r.slot_idx}, {"op_type", r.op_type}, {"src_handle", r.src_handle}, {"dst_handle", r.dst_handle},
          {"offset", r.offset},     {"byte_count", r.byte_count}, {"tag", r.tag}};
}

json metrics_json(const std::vector<MetricPair>& m) {
  json out = json::array();
  for (auto [slot, count] : m) out.push_back({slot, count});
  return out;
}

json optional_len(std::optional<uint64_t> v) { return v ? json(*v) : json(nullptr); }

using Handler = std::function<void(const json& e, Outcome& o)>;

std::map<std::string, Handler> handlers() {
  std::map<std::string, Handler> h;
  h["constants"] = [](const json&, Outcome& o) {
    namespace p = protocol;
    o.value = {{"SLOT_WORDS", p::SLOT_WORDS}, {"STATUS_WORD", p::STATUS_WORD}, {"OPCODE_WORD", p::OPCODE_WORD},
               {"TENANT_WORD", p::TENANT_WORD}, {"PRIORITY_WORD", p::PRIORITY_WORD}, {"ARG0_WORD", p::ARG0_WORD},
               {"ARGS_PER_SLOT", p::ARGS_PER_SLOT}, {"CONTROL_MIN_WORDS", p::CONTROL_MIN_WORDS},
               {"MAX_OBSERVABLE_SLOTS", p::MAX_OBSERVABLE_SLOTS},
               {"MAX_ENCODED_OBSERVABLE_SLOTS", p::MAX_ENCODED_OBSERVABLE_SLOTS}, {"MAX_RING_SLOTS", p::MAX_RING_SLOTS},
               {"MAX_ENCODED_RING_SLOTS", p::MAX_ENCODED_RING_SLOTS}, {"MAX_DEBUG_RECORDS", p::MAX_DEBUG_RECORDS},
               {"MAX_ENCODED_DEBUG_RECORDS", p::MAX_ENCODED_DEBUG_RECORDS}};
    namespace c = p::control;
    namespace op = p::opcode;
    namespace io = p::io;
    const std::pair<const char*, uint32_t> named[] = {
        {"control::SHUTDOWN", c::SHUTDOWN}, {"control::DONE_COUNT", c::DONE_COUNT}, {"control::TENANT_BASE", c::TENANT_BASE},
        {"control::TENANT_QUOTA_BASE", c::TENANT_QUOTA_BASE}, {"control::TENANT_FAIRNESS_BASE", c::TENANT_FAIRNESS_BASE},
        {"control::TENANT_FAIRNESS_SLOTS", c::TENANT_FAIRNESS_SLOTS}, {"control::METRICS_BASE", c::METRICS_BASE},
        {"control::METRICS_SLOTS", c::METRICS_SLOTS}, {"control::EPOCH", c::EPOCH},
        {"control::PRIORITY_OFFSETS_BASE", c::PRIORITY_OFFSETS_BASE}, {"control::PRIORITY_OFFSETS_SLOTS", c::PRIORITY_OFFSETS_SLOTS},
        {"control::PRIORITY_STARVATION_COUNTER", c::PRIORITY_STARVATION_COUNTER},
        {"control::PRIORITY_FAIRNESS_BASE", c::PRIORITY_FAIRNESS_BASE}, {"control::PRIORITY_FAIRNESS_SLOTS", c::PRIORITY_FAIRNESS_SLOTS},
        {"control::OBSERVABLE_BASE", c::OBSERVABLE_BASE},
        {"debug::CURSOR_WORD", p::debug::CURSOR_WORD}, {"debug::RECORDS_BASE", p::debug::RECORDS_BASE},
        {"debug::RECORD_WORDS", p::debug::RECORD_WORDS}, {"debug::RECORD_CAPACITY", p::debug::RECORD_CAPACITY},
        {"debug::BUFFER_WORDS", p::debug::BUFFER_WORDS},
        {"io::IO_SLOT_COUNT", io::IO_SLOT_COUNT}, {"io::IO_SLOT_WORDS", io::IO_SLOT_WORDS},
        {"io::io_op::READ", io::op::READ}, {"io::io_op::WRITE", io::op::WRITE}, {"io::io_op::FENCE", io::op::FENCE},
        {"io::io_status::OK", io::status::OK}, {"io::io_status::ERROR", io::status::ERROR},
        {"io::io_word::OP_TYPE", io::word::OP_TYPE}, {"io::io_word::SRC_HANDLE", io::word::SRC_HANDLE},
        {"io::io_word::DST_HANDLE", io::word::DST_HANDLE}, {"io::io_word::OFFSET_LO", io::word::OFFSET_LO},
        {"io::io_word::OFFSET_HI", io::word::OFFSET_HI}, {"io::io_word::BYTE_COUNT", io::word::BYTE_COUNT},
        {"io::io_word::STATUS", io::word::STATUS}, {"io::io_word::TAG", io::word::TAG},
        {"opcode::NOP", op::NOP}, {"opcode::STORE_U32", op::STORE_U32}, {"opcode::ATOMIC_ADD", op::ATOMIC_ADD},
        {"opcode::LOAD_U32", op::LOAD_U32}, {"opcode::COMPARE_SWAP", op::COMPARE_SWAP}, {"opcode::MEMCPY", op::MEMCPY},
        {"opcode::DFA_STEP", op::DFA_STEP}, {"opcode::BATCH_FENCE", op::BATCH_FENCE}, {"opcode::LOAD_MISS", op::LOAD_MISS},
        {"opcode::PRINTF", op::PRINTF}, {"opcode::PACKED_SLOT", op::PACKED_SLOT}, {"opcode::SHUTDOWN", op::SHUTDOWN},
        {"opcode::SYSTEM_MASK", op::SYSTEM_MASK}, {"opcode::RESERVED_MAX_RANGE_MIN", op::RESERVED_MAX_RANGE_MIN},
        {"scheduler::PRIORITY_LEVELS", p::scheduler::PRIORITY_LEVELS},
        {"scheduler::PRIORITY_OFFSETS_BASE", c::PRIORITY_OFFSETS_BASE},
        {"scheduler::PRIORITY_STARVATION_COUNTER", c::PRIORITY_STARVATION_COUNTER},
        {"scheduler::STARVATION_THRESHOLD", p::scheduler::STARVATION_THRESHOLD},
        {"scheduler::TENANT_FAIRNESS_THRESHOLD", p::scheduler::TENANT_FAIRNESS_THRESHOLD},
        {"scheduler::priority::CRITICAL", p::slot::PRIORITY_CRITICAL}, {"scheduler::priority::HIGH", p::slot::PRIORITY_HIGH},
        {"scheduler::priority::NORMAL", p::slot::PRIORITY_NORMAL}, {"scheduler::priority::LOW", p::slot::PRIORITY_LOW},
        {"scheduler::priority::IDLE", p::slot::PRIORITY_IDLE},
        {"slot::EMPTY", p::slot::EMPTY}, {"slot::PUBLISHED", p::slot::PUBLISHED}, {"slot::CLAIMED", p::slot::CLAIMED},
        {"slot::DONE", p::slot::DONE}, {"slot::WAIT_IO", p::slot::WAIT_IO}, {"slot::YIELD", p::slot::YIELD},
        {"slot::REQUEUE", p::slot::REQUEUE}, {"slot::FAULT", p::slot::FAULT},
        {"slot::PRIORITY_CRITICAL", p::slot::PRIORITY_CRITICAL}, {"slot::PRIORITY_HIGH", p::slot::PRIORITY_HIGH},
        {"slot::PRIORITY_NORMAL", p::slot::PRIORITY_NORMAL}, {"slot::PRIORITY_LOW", p::slot::PRIORITY_LOW},
        {"slot::PRIORITY_IDLE", p::slot::PRIORITY_IDLE},
    };
    for (const auto& [k, v] : named) o.value[k] = v;
  };
  h["control_byte_len"] = [](const json& e, Outcome& o) { o.value = optional_len(control_byte_len(e["params"]["observable_slots"])); };
  h["ring_byte_len"] = [](const json& e, Outcome& o) { o.value = optional_len(ring_byte_len(e["params"]["slot_count"])); };
  h["debug_log_byte_len"] = [](const json& e, Outcome& o) { o.value = optional_len(debug_log_byte_len(e["params"]["record_capacity"])); };
  auto control_enc = [](bool pipeline) {
    return [pipeline](const json& e, Outcome& o) {
      const json& p = e["params"];
      try {
        o.bytes = encode_control(p["shutdown"], p["tenant_count"], p["observable_slots"]);
      } catch (const Error& err) {
        if (pipeline) throw err.to_pipeline();
        throw;
      }
    };
  };
  h["try_encode_control"] = control_enc(false);
  h["Megakernel::try_encode_control"] = control_enc(true);
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
  auto ring_enc = [](bool pipeline) {
    return [pipeline](const json& e, Outcome& o) {
      try {
        o.bytes = encode_empty_ring(e["params"]["slot_count"]);
      } catch (const Error& err) {
        if (pipeline) throw err.to_pipeline();
        throw;
      }
    };
  };
  h["try_encode_empty_ring"] = ring_enc(false);
  h["Megakernel::try_encode_empty_ring"] = ring_enc(true);
  h["try_encode_empty_ring_into"] = [](const json& e, Outcome& o) {
    Bytes buf = input_of(e);
    encode_empty_ring_into(e["params"]["slot_count"], buf);
    o.bytes = buf;
  };
  auto dbg_enc = [](bool pipeline) {
    return [pipeline](const json& e, Outcome& o) {
      try {
        o.bytes = encode_empty_debug_log(e["params"]["record_capacity"]);
      } catch (const Error& err) {
        if (pipeline) throw err.to_pipeline();
        throw;
      }
    };
  };
  h["try_encode_empty_debug_log"] = dbg_enc(false);
  h["Megakernel::try_encode_empty_debug_log"] = dbg_enc(true);
  h["try_encode_empty_debug_log_into"] = [](const json& e, Outcome& o) {
    Bytes buf = input_of(e);
    encode_empty_debug_log_into(e["params"]["record_capacity"], buf);
    o.bytes = buf;
  };
  h["try_encode_empty_io_queue"] = [](const json& e, Outcome& o) { o.bytes = encode_empty_io_queue(e["params"]["slot_count"]); };
  h["validate_io_queue_bytes"] = [](const json& e, Outcome& o) {
    validate_io_queue_bytes(input_of(e));
    o.value = nullptr;
  };
  h["encode_load_miss"] = [](const json& e, Outcome& o) {
    o.bytes = encode_load_miss(e["params"]["resource_id"], e["params"]["prefetch"]);
  };
  h["decode_load_miss"] = [](const json& e, Outcome& o) {
    auto r = decode_load_miss(input_of(e), e["params"]["slot"]);
    o.value = r ? json{{"resource_id", r->resource_id}, {"prefetch", r->prefetch}} : json(nullptr);
  };
  auto per_op = [](std::function<json(uint32_t)> f) {
    return [f](const json& e, Outcome& o) {
      o.value = json::array();
      for (uint32_t op : e["params"]["ops"]) o.value.push_back(f(op));
    };
  };
  h["opcode::is_system"] = per_op([](uint32_t op) { return json(protocol::opcode::is_system(op)); });
  h["opcode::is_builtin"] = per_op([](uint32_t op) { return json(protocol::opcode::is_builtin(op)); });
  h["opcode::validate_user_opcode"] = per_op([](uint32_t op) {
    auto r = protocol::opcode::validate_user_opcode(op);
    return r.empty() ? json(nullptr) : json(std::string(r));
  });
  h["opcode::validate_publish_opcode"] = per_op([](uint32_t op) {
    auto r = protocol::opcode::validate_publish_opcode(op);
    return r.empty() ? json(nullptr) : json(std::string(r));
  });
  // Mutators: the output is the buffer after the call; on error the buffer
  // must be unchanged unless the entry lists an output.
  auto mutator = [](std::function<json(const json& p, Bytes& buf)> f) {
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
  };
  h["Megakernel::publish_slot"] = mutator([](const json& p, Bytes& buf) {
    publish_slot(buf, p["slot_idx"], p["tenant_id"], p["opcode"], u32s(p["args"]));
    return json(nullptr);
  });
  h["Megakernel::publish_packed_slot"] = mutator([](const json& p, Bytes& buf) {
    std::vector<PackedOp> ops;
    for (const auto& op : p["ops"]) ops.push_back({op["op_id"].get<uint8_t>(), u32s(op["args"])});
    publish_packed_slot(buf, p["slot_idx"], p["tenant_id"], ops);
    return json(nullptr);
  });
  h["Megakernel::batch_publish"] = mutator([](const json& p, Bytes& buf) {
    std::vector<BatchItem> items;
    for (const auto& i : p["items"]) items.push_back({i["opcode"], u32s(i["args"])});
    return json(batch_publish(buf, p["start_slot"], p["tenant_id"], items, p["batch_tag"]));
  });
  h["Megakernel::publish_work_items"] = mutator([](const json& p, Bytes& buf) {
    return json(publish_work_items(buf, p["start_slot"], p["tenant_id"], work_items(p["items"])));
  });
  h["Megakernel::encode_work_items_ring_into"] = mutator([](const json& p, Bytes& buf) {
    encode_work_items_ring_into(p["slot_count"], p["tenant_id"], work_items(p["items"]), buf);
    return json(nullptr);
  });
  h["Megakernel::encode_work_items_ring_words_into"] = mutator([](const json& p, Bytes& buf) {
    std::vector<uint32_t> words(buf.size() / 4);
    if (!words.empty()) std::memcpy(words.data(), buf.data(), words.size() * 4);
    encode_work_items_ring_words_into(p["slot_count"], p["tenant_id"], work_items(p["items"]), words);
    buf.assign(reinterpret_cast<const uint8_t*>(words.data()), reinterpret_cast<const uint8_t*>(words.data() + words.size()));
    return json(nullptr);
  });
  h["default_priority_offsets"] = [](const json& e, Outcome& o) { o.value = default_priority_offsets(e["params"]["total_slots"]); };
  h["write_default_priority_offsets"] = mutator([](const json& p, Bytes& buf) {
    write_default_priority_offsets(buf, p["total_slots"]);
    return json(nullptr);
  });
  auto resident_buffer = [](const DispatchBuffers& b, const std::string& which) {
    if (which == "control") return b.control;
    if (which == "ring") return b.ring;
    if (which == "debug_log") return b.debug_log;
    return b.io_queue;
  };
  h["MegakernelResidentBuffers::new"] = [resident_buffer](const json& e, Outcome& o) {
    const json& p = e["params"];
    auto b = resident_buffers(p["slot_count"], p["tenant_count"], p["observable_slots"]);
    o.bytes = resident_buffer(b, p["buffer"]);
  };
  h["MegakernelResidentBuffers::reset"] = [resident_buffer](const json& e, Outcome& o) {
    const json& p = e["params"];
    REQUIRE(p["prior"] == "new(8,2,4) then publish_slot(3,1,STORE_U32,[7,9])");
    auto b = resident_buffers(8, 2, 4);
    const uint32_t args[2] = {7, 9};
    publish_slot(b.ring, 3, 1, protocol::opcode::STORE_U32, args);
    reset_resident_buffers(b, 8, p["tenant_count"], p["observable_slots"]);
    o.bytes = resident_buffer(b, p["buffer"]);
  };
  h["MegakernelResidentBuffers::from_parts"] = [](const json& e, Outcome& o) {
    const json& p = e["params"];
    resident_buffers_from_parts(p["slot_count"], Bytes(p["control_len"].get<size_t>()), Bytes(p["ring_len"].get<size_t>()),
                                Bytes(p["debug_log_len"].get<size_t>()), Bytes(p["io_queue_len"].get<size_t>()));
    o.value = nullptr;
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
  h["try_count_done_ring_slots"] = [](const json& e, Outcome& o) {
    o.value = count_done_ring_slots(input_of(e), e["params"]["item_count"]);
  };
  h["Megakernel::try_count_done_ring_slots"] = [](const json& e, Outcome& o) {
    try {
      o.value = count_done_ring_slots(input_of(e), e["params"]["item_count"]);
    } catch (const Error& err) {
      throw err.to_pipeline();
    }
  };
  h["count_done_ring_slots"] = [](const json& e, Outcome& o) {
    auto r = count_done_ring_slots_lenient(input_of(e), e["params"]["item_count"]);
    o.value = r ? json(*r) : json(nullptr);
  };
  h["MegakernelIoQueue::new"] = [](const json& e, Outcome& o) {
    IoQueue q(e["params"]["slot_count"]);
    o.bytes = Bytes(q.bytes().begin(), q.bytes().end());
  };
  auto with_queue = [](std::function<json(const json& p, IoQueue& q)> f) {
    return [f](const json& e, Outcome& o) {
      IoQueue q = IoQueue::adopt(input_of(e));
      REQUIRE(q.slot_count() == e["params"]["queue_slot_count"].get<uint32_t>());
      try {
        o.value = f(e["params"], q);
      } catch (...) {
        o.bytes = Bytes(q.bytes().begin(), q.bytes().end());
        throw;
      }
      o.bytes = Bytes(q.bytes().begin(), q.bytes().end());
    };
  };
  h["MegakernelIoQueue::publish_slot"] = with_queue([](const json& p, IoQueue& q) {
    q.publish_slot(p["queue_slot"], p["mapped_slot"], p["byte_count"], p["tag"]);
    return json(nullptr);
  });
  h["MegakernelIoQueue::submit_dma_read"] = with_queue([](const json& p, IoQueue& q) {
    q.submit_dma_read(p["queue_slot"], p["src_handle"], p["dst_handle"], p["byte_count"], p["tag"]);
    return json(nullptr);
  });
  h["MegakernelIoQueue::completion"] = with_queue([](const json& p, IoQueue& q) {
    auto c = q.completion(p["queue_slot"]);
    return c ? json{{"slot_idx", c->slot_idx}, {"mapped_slot", c->mapped_slot}, {"byte_count", c->byte_count}, {"tag", c->tag}}
             : json(nullptr);
  });
  h["MegakernelIoQueue::is_recycled"] = with_queue([](const json& p, IoQueue& q) { return json(q.is_recycled(p["queue_slot"])); });
  h["try_poll_io_requests"] = [](const json& e, Outcome& o) {
    o.value = json::array();
    for (const auto& r : poll_io_requests(input_of(e))) o.value.push_back(request_json(r));
  };
  h["try_claim_io_requests_into"] = mutator([](const json&, Bytes& buf) {
    json out = json::array();
    for (const auto& r : claim_io_requests(buf)) out.push_back(request_json(r));
    return out;
  });
  h["try_complete_io_request"] = mutator([](const json& p, Bytes& buf) {
    complete_io_request(buf, p["slot_idx"], p["success"]);
    return json(nullptr);
  });
  h["try_complete_io_requests_batch"] = mutator([](const json& p, Bytes& buf) {
    std::vector<std::pair<uint32_t, bool>> c;
    for (const auto& x : p["completions"]) c.emplace_back(x["slot_idx"], x["success"]);
    complete_io_requests_batch(buf, c);
    return json(nullptr);
  });
  return h;
}

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
  std::ifstream in(kGolden / "manifest.json");
  REQUIRE_MESSAGE(in.good(), "golden manifest not found in " << kGolden);
  const json manifest = json::parse(in);
  const auto table = handlers();
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
        CHECK_MESSAGE(*o.bytes == load_bin(after), name << ": buffer after the failed call differs");
      }
    } else {
      if (o.error) FAIL(name << ": unexpected error: " << o.error->what());
      if (e.contains("expect")) CHECK_MESSAGE(o.value == e["expect"], name << ": got " << o.value.dump());
      if (e.contains("output")) {
        REQUIRE_MESSAGE(o.bytes.has_value(), name << ": produced no bytes");
        CHECK_MESSAGE(*o.bytes == load_bin(e["output"]), name << ": bytes differ from " << e["output"]);
      }
    }
    ++checked;
  }
  CHECK(checked == 563);
  CHECK(errors == 175);
  CHECK(functions.size() == table.size());
}
