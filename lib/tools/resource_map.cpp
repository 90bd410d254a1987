#include "vyre/resource_map.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "vyre/error.h"
#include "vyre/json_document.h"

namespace vyre {

ResourceMap parse_resource_map(std::string_view text, std::string_view source) {
  const nlohmann::json doc = parse_json_document(text, source);
  const std::string src(source);
  if (!doc.is_object())
    throw Error::invalid_input(src + ": (document root)", "expected an object mapping resource ids to files",
                               "write {\"7\": \"weights.bin\"}");
  const std::filesystem::path base = std::filesystem::path(src).parent_path();
  ResourceMap map;
  for (const auto& [key, value] : doc.items()) {
    const std::string where = src + ": \"" + key + "\"";
    if (key == "$schema" || key == "comment") continue;
    uint32_t id = 0;
    try {
      size_t used = 0;
      const unsigned long long v = std::stoull(key, &used, 0);
      if (used != key.size() || v > 0xFFFFFFFFull) throw std::out_of_range(key);
      id = static_cast<uint32_t>(v);
    } catch (const std::exception&) {
      throw Error::invalid_input(where, "key is not a u32 resource id", "use a decimal or 0x-hex resource id as key");
    }
    if (!value.is_string())
      throw Error::invalid_input(where, std::string("expected a file path, got ") + value.type_name(),
                                 "map each resource id to a file path string");
    if (map.contains(id))
      throw Error::invalid_input(where, "resource id " + std::to_string(id) + " is mapped twice",
                                 "keep one file per resource id");
    std::filesystem::path file = value.get<std::string>();
    // Relative paths are relative to the map file, so maps can travel with their data.
    if (file.is_relative() && !base.empty() && source != "<stdin>") file = base / file;
    map[id] = file.string();
  }
  return map;
}

}  // namespace vyre
