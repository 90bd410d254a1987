#include <cstdio>

#include <nlohmann/json.hpp>

#include "subcommands.h"
#include "vyre/file_io.h"
#include "vyre/opencl_device.h"

namespace vyre::cli {

Runner setup_devices(CLI::App& cmd) {
  auto json = std::make_shared<bool>(false);
  auto output = std::make_shared<std::string>("-");
  cmd.add_flag("--json", *json, "Print a JSON array (schemas/devices.schema.json)");
  add_output_option(cmd, *output);
  return [json, output](std::stop_token stop) {
    OutputSet outputs;
    const size_t main = outputs.add(*output, OutputKind::Text, "-o");
    const auto devices = list_devices();
    std::string out;
    if (*json) {
      nlohmann::json doc = nlohmann::json::array();
      for (const auto& d : devices)
        doc.push_back({{"selector", d.selector()},       {"platform", d.platform},
                       {"name", d.name},                 {"vendor", d.vendor},
                       {"type", d.type},                 {"version", d.version},
                       {"driver_version", d.driver_version}, {"compute_units", d.compute_units},
                       {"max_workgroup_size", d.max_workgroup_size}, {"clock_mhz", d.clock_mhz},
                       {"global_mem_bytes", d.global_mem_bytes}, {"local_mem_bytes", d.local_mem_bytes},
                       {"max_alloc_bytes", d.max_alloc_bytes}});
      out = doc.dump(2) + "\n";
    } else {
      if (devices.empty()) out = "no OpenCL devices (install pocl-opencl-icd, or set OCL_ICD_FILENAMES)\n";
      for (const auto& d : devices) {
        char line[512];
        std::snprintf(line, sizeof line,
                      "%s  %-4s %s [%s]\n      %s, driver %s; %u compute units @ %u MHz, max work-group %u,\n"
                      "      %.1f GiB global (max alloc %.1f GiB), %.0f KiB local\n",
                      d.selector().c_str(), d.type.c_str(), d.name.c_str(), d.platform.c_str(), d.version.c_str(),
                      d.driver_version.c_str(), d.compute_units, d.clock_mhz, d.max_workgroup_size,
                      d.global_mem_bytes / 1073741824.0, d.max_alloc_bytes / 1073741824.0, d.local_mem_bytes / 1024.0);
        out += line;
      }
    }
    outputs.set(main, std::move(out));
    outputs.commit(stop);
    return kExitOk;
  };
}

}  // namespace vyre::cli
