// Reading a JSON input (ring specs, format tables, resource maps, saved
// replay streams) strictly: a syntax error names the byte offset, and a key
// written twice in one object is an error naming the second one's JSON path
// (nlohmann/json would keep the last silently, so `"slots": [...],
// "slots": []` would encode an empty ring).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace vyre {

// Throws InvalidInput naming `source` and the offset or JSON path.
nlohmann::json parse_json_document(std::string_view text, std::string_view source);

// The JSON path of an element, as every message writes it: "slots[2].args".
std::string json_path_join(const std::string& parent, const std::string& key);
std::string json_path_index(const std::string& parent, size_t index);

}  // namespace vyre
