#include "vyre/user_opcodes.h"

#include <charconv>
#include <cstdio>

#include "vyre/error.h"
#include "vyre/file_io.h"
#include "vyre/labels.h"
#include "vyre/program_cache.h"
#include "vyre/protocol.h"

namespace vyre {

namespace {

// The text with comments blanked out (newlines kept), so that a header
// inside a comment is not one and lines keep their numbers.
std::string without_comments(std::string_view text) {
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '"') {  // a string literal: skip it whole
      for (++i; i < out.size() && out[i] != '"' && out[i] != '\n'; ++i)
        if (out[i] == '\\') ++i;
    } else if (out.compare(i, 2, "//") == 0) {
      for (; i < out.size() && out[i] != '\n'; ++i) out[i] = ' ';
    } else if (out.compare(i, 2, "/*") == 0) {
      const size_t end = out.find("*/", i + 2);
      const size_t stop = end == std::string::npos ? out.size() : end + 2;
      for (; i < stop; ++i)
        if (out[i] != '\n') out[i] = ' ';
      --i;
    }
  }
  return out;
}

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// "8", "0x10000", "9u": a u32 as OpenCL C writes it.
std::optional<uint32_t> parse_number(std::string_view t) {
  while (!t.empty() && (t.back() == 'u' || t.back() == 'U')) t.remove_suffix(1);
  int base = 10;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    t.remove_prefix(2);
    base = 16;
  }
  uint32_t v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v, base);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) return std::nullopt;
  return v;
}

struct Header {
  size_t begin, end;  // the span of "VYRE_OPCODE ( N )"
  UserOpcode op;
};

std::vector<Header> find_headers(std::string_view text, const std::string& name) {
  const std::string plain = without_comments(text);
  constexpr std::string_view kWord = "VYRE_OPCODE";
  std::vector<Header> out;
  uint32_t line = 1;
  size_t counted = 0;
  for (size_t at = plain.find(kWord); at != std::string::npos; at = plain.find(kWord, at + 1)) {
    if ((at > 0 && ident_char(plain[at - 1])) || (at + kWord.size() < plain.size() && ident_char(plain[at + kWord.size()])))
      continue;
    for (; counted < at; ++counted) line += plain[counted] == '\n';
    const std::string where = name + ":" + std::to_string(line);
    size_t open = at + kWord.size();
    while (open < plain.size() && std::isspace(static_cast<unsigned char>(plain[open]))) ++open;
    const size_t close = open < plain.size() && plain[open] == '(' ? plain.find(')', open) : std::string::npos;
    if (close == std::string::npos)
      throw Error::invalid_input(where, "VYRE_OPCODE without its (N)", "write VYRE_OPCODE(N) { ... }");
    std::string token = plain.substr(open + 1, close - open - 1);
    token.erase(0, token.find_first_not_of(" \t\n"));
    token.erase(token.find_last_not_of(" \t\n") + 1);
    const auto value = parse_number(token);
    if (!value)
      throw Error::invalid_input(where, "VYRE_OPCODE(" + token + "): N is not a number",
                                 "write the opcode as a decimal or 0x-hex number");
    if (protocol::opcode::is_system(*value))
      throw Error::invalid_input(where, "opcode " + hex(*value) + " is not a user opcode (" + opcode_label(*value) + ")",
                                 "use an opcode in the publishable user range 8..0xFFEF or 0x10000..0x7FFFFFFF");
    for (const Header& h : out)
      if (h.op.value == *value)
        throw Error::invalid_input(where, "opcode " + hex(*value) + " is defined twice (first at line " +
                                              std::to_string(h.op.line) + ")",
                                   "keep one body per opcode");
    out.push_back({at, close + 1, {*value, line}});
  }
  return out;
}

}  // namespace

UserOpcodes UserOpcodes::parse(std::string_view text, std::string name) {
  UserOpcodes u;
  for (const Header& h : find_headers(text, name)) u.ops_.push_back(h.op);
  if (u.ops_.empty())
    throw Error::invalid_input(name, "defines no VYRE_OPCODE(N) body", "write VYRE_OPCODE(N) { ... } for each opcode");
  u.name_ = std::move(name);
  u.text_ = std::string(text);
  return u;
}

UserOpcodes UserOpcodes::load(const std::string& path) { return parse(read_text_input(path), display_name(path)); }

std::string UserOpcodes::kernel_source() const {
  std::string out;
  if (!empty()) {
    // Each header becomes the signature of a function of the body's context;
    // the newlines inside a header stay, so the file keeps its line numbers.
    const auto headers = find_headers(text_, name_);
    out = "\n" + line_directive(1, name_);
    size_t from = 0;
    for (size_t k = 0; k < headers.size(); ++k) {
      out.append(text_, from, headers[k].begin - from);
      out += "void vyre_user_op_" + std::to_string(k) + "(vyre_op_ctx* vyre_ctx_)";
      for (size_t i = headers[k].begin; i < headers[k].end; ++i)
        if (text_[i] == '\n') out += '\n';
      from = headers[k].end;
    }
    out.append(text_, from);
  }
  out += "\n" + line_directive(1, "<user opcode dispatch>");
  out += "bool run_user_op(vyre_op_ctx* vyre_ctx_, uint opcode) {\n  switch (opcode) {\n";
  for (size_t k = 0; k < ops_.size(); ++k)
    out += "    case " + std::to_string(ops_[k].value) + "u: vyre_user_op_" + std::to_string(k) +
           "(vyre_ctx_); return true;\n";
  out += "    default: return false;\n  }\n}\n";
  return out;
}

std::string UserOpcodes::digest() const {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text_) h = (h ^ c) * 0x100000001b3ull;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return empty() ? "none" : buf;
}

}  // namespace vyre
