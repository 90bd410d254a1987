#include "vyre/protocol.h"

#include <array>
#include <utility>

namespace vyre::protocol {

namespace {
using Named = std::pair<uint32_t, std::string_view>;

constexpr std::array kStatuses = {
    Named{slot::EMPTY, "EMPTY"},   Named{slot::PUBLISHED, "PUBLISHED"}, Named{slot::CLAIMED, "CLAIMED"},
    Named{slot::DONE, "DONE"},     Named{slot::WAIT_IO, "WAIT_IO"},     Named{slot::YIELD, "YIELD"},
    Named{slot::REQUEUE, "REQUEUE"}, Named{slot::FAULT, "FAULT"},
};

constexpr std::array kPriorities = {
    Named{slot::PRIORITY_CRITICAL, "CRITICAL"}, Named{slot::PRIORITY_HIGH, "HIGH"},
    Named{slot::PRIORITY_NORMAL, "NORMAL"},     Named{slot::PRIORITY_LOW, "LOW"},
    Named{slot::PRIORITY_IDLE, "IDLE"},
};

constexpr std::array kIoOps = {Named{io::op::READ, "READ"}, Named{io::op::WRITE, "WRITE"},
                               Named{io::op::FENCE, "FENCE"}};

template <size_t N>
std::optional<std::string_view> lookup(const std::array<Named, N>& table, uint32_t value) {
  for (const auto& [v, n] : table)
    if (v == value) return n;
  return std::nullopt;
}
template <size_t N>
std::optional<uint32_t> reverse(const std::array<Named, N>& table, std::string_view name) {
  for (const auto& [v, n] : table)
    if (n == name) return v;
  return std::nullopt;
}
}  // namespace

std::string opcode::names_list() {
  std::string out;
  for (const OpcodeInfo& o : kOpcodes) out.append(out.empty() ? "" : ", ").append(o.name);
  return out;
}
std::optional<std::string_view> status_name(uint32_t status) { return lookup(kStatuses, status); }
std::optional<uint32_t> status_from_name(std::string_view name) { return reverse(kStatuses, name); }
std::optional<std::string_view> priority_name(uint32_t priority) { return lookup(kPriorities, priority); }
std::optional<std::string_view> io::op_name(uint32_t op) { return lookup(kIoOps, op); }
std::optional<std::string_view> io::status_name(uint32_t status) {
  if (status == io::status::OK) return "OK";
  if (status == io::status::ERROR) return "ERROR";
  return protocol::status_name(status);
}

}  // namespace vyre::protocol
