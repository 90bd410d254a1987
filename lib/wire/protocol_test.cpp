#include <doctest/doctest.h>

#include "vyre/protocol.h"
#include "golden_vectors.h"

using namespace vyre;
namespace op = protocol::opcode;

TEST_CASE("named values look up both ways") {
  CHECK(protocol::status_name(protocol::slot::WAIT_IO) == "WAIT_IO");
  CHECK(protocol::status_from_name("FAULT") == protocol::slot::FAULT);
  CHECK_FALSE(protocol::status_from_name("fault").has_value());
  CHECK(protocol::io::status_name(protocol::io::status::OK) == "OK");
  CHECK(protocol::io::status_name(protocol::slot::CLAIMED) == "CLAIMED");
  CHECK(protocol::priority_name(protocol::slot::PRIORITY_IDLE) == "IDLE");
}

TEST_CASE("the packed metadata layout") {
  CHECK(op::packed_metadata_words(0) == 1);
  CHECK(op::packed_metadata_words(1) == 1);
  CHECK(op::packed_metadata_words(3) == 2);
  CHECK(op::packed_metadata_words(4) == 3);
  CHECK(op::packed_op_byte(0) == 2);
  CHECK(op::packed_op_byte(3) == 8);
}

// Upstream's functions of this concept in the golden manifest
// (golden_vectors_test.cpp walks it).
namespace vyre::testing {
namespace {
using nlohmann::json;
}  // namespace

void add_protocol_vectors(GoldenHandlers& h) {
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
}

}  // namespace vyre::testing
