// opcodes.def is the one list of opcodes: every other list in the project
// (the schemas' enums and patterns, the man pages, the kernel's and the
// reference interpreter's bodies, the kernel's -D options) must agree with it.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vyre/protocol.h"

using namespace vyre;
namespace op = protocol::opcode;

namespace {

std::string source_file(const std::string& relative) {
  std::ifstream in(std::string(VYRE_SOURCE_DIR) + "/" + relative);
  REQUIRE_MESSAGE(in.good(), "cannot read " << relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> table_names(bool metrics_only = false) {
  std::vector<std::string> names;
  for (const auto& o : op::kOpcodes)
    if (!metrics_only || o.value < op::METRICS_OPCODE_LIMIT) names.emplace_back(o.name);
  return names;
}

std::vector<std::string> schema_enum(const std::string& schema) {
  const auto doc = nlohmann::json::parse(source_file("schemas/" + schema));
  return doc["$defs"]["opcode"]["oneOf"][0]["enum"].get<std::vector<std::string>>();
}

// The names in a metrics propertyNames pattern "^(NOP|...|opcode_[0-9]+)$".
std::vector<std::string> metric_pattern_names(const std::string& schema) {
  const std::string text = source_file("schemas/" + schema);
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex(R"(\^\(([A-Z_|0-9]+)\|opcode_)")));
  std::vector<std::string> names;
  std::stringstream list(m[1].str());
  for (std::string name; std::getline(list, name, '|');) names.push_back(name);
  return names;
}

}  // namespace

TEST_CASE("the constants, names and classes come from one table") {
  CHECK(op::NOP == 0);
  CHECK(op::LOAD_MISS == 0x0000FFFDu);
  CHECK(op::SHUTDOWN == 0xFFFFFFFFu);
  CHECK(op::from_name("PACKED_SLOT") == op::PACKED_SLOT);
  CHECK(op::name(op::PRINTF) == "PRINTF");
  CHECK_FALSE(op::name(8).has_value());
  for (const auto& o : op::kOpcodes) {
    CHECK(op::is_builtin(o.value) == (o.cls == op::OpcodeClass::Builtin));
    CHECK(op::is_system(o.value));  // every named opcode lies in the system ranges
  }
  CHECK(op::names_list().starts_with("NOP, STORE_U32, "));
}

TEST_CASE("the schemas list the table's opcodes") {
  CHECK(schema_enum("common.schema.json") == table_names());
  CHECK(schema_enum("ring-spec.schema.json") == table_names());
  CHECK(metric_pattern_names("dispatch-report.schema.json") == table_names(true));
  CHECK(metric_pattern_names("inspect-control.schema.json") == table_names(true));
}

TEST_CASE("the man pages list the table's opcodes") {
  // vyre-encode-ring(1): "Opcode names are ...: NOP STORE_U32 ... SHUTDOWN;"
  std::string page = source_file("man/vyre-encode-ring.1");
  for (auto& c : page)
    if (c == '\n') c = ' ';
  std::smatch m;
  REQUIRE(std::regex_search(page, m, std::regex(R"(Opcode names are [^:]*: ([A-Z_0-9 ]+);)")));
  std::vector<std::string> listed;
  std::stringstream words(m[1].str());
  for (std::string w; words >> w;) listed.push_back(w);
  CHECK(listed == table_names());
  // vyre-dispatch(1) lists every opcode with its value and its summary.
  const std::string dispatch = source_file("man/vyre-dispatch.1");
  for (const auto& o : op::kOpcodes) {
    char value[16];
    std::snprintf(value, sizeof value, "0x%X", o.value);
    const std::string row = ".BR " + std::string(o.name) + " \" (" + value + ")\"\n" + std::string(o.summary) + ".\n";
    CHECK_MESSAGE(dispatch.find(row) != std::string::npos, "vyre-dispatch.1 lacks the row\n" << row);
  }
  // vyre-protocol(7) describes every opcode under its name and value.
  const std::string protocol = source_file("man/vyre-protocol.7");
  for (const auto& o : op::kOpcodes) {
    char value[16];
    std::snprintf(value, sizeof value, "0x%X", o.value);
    const std::string entry = ".BR " + std::string(o.name) + " \" (" + value + ")\"\n";
    CHECK_MESSAGE(protocol.find(entry) != std::string::npos, "vyre-protocol.7 lacks\n" << entry);
  }
}
