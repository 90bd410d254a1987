#include "vyre/dispatch.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "vyre/debug_log.h"
#include "vyre/error.h"
#include "vyre/file_io.h"
#include "vyre/io_queue.h"
#include "vyre/ring.h"
#include "vyre/ring_spec.h"

namespace vyre {

DispatchBuffers default_dispatch_buffers(Bytes ring) {
  DispatchBuffers b;
  b.control = encode_control(false, kDefaultTenants, kDefaultObservables);
  b.ring = std::move(ring);
  b.debug_log = encode_empty_debug_log(protocol::debug::RECORD_CAPACITY);
  b.io_queue = encode_empty_io_queue(protocol::io::IO_SLOT_COUNT);
  return b;
}

void validate_dispatch_buffers(const DispatchBuffers& b, const BufferNames& names) {
  auto rethrow = [](const std::string& name, auto&& check) {
    try {
      check();
    } catch (const Error& e) {
      std::string what = e.what();
      if (what.rfind("backend error: ", 0) == 0) what = what.substr(15);
      throw Error::invalid_input(name, what.substr(0, what.find(". Fix: ")),
                                 what.find(". Fix: ") == std::string::npos ? "rebuild the buffer with vyre encode-*"
                                                                            : what.substr(what.find(". Fix: ") + 7));
    }
  };
  rethrow(names.control, [&] { validate_control_bytes(b.control); });
  rethrow(names.ring, [&] { validate_ring_bytes(b.ring); });
  rethrow(names.debug_log, [&] {
    if (b.debug_log.size() % 4 != 0 || b.debug_log.size() < 4)
      throw Error::invalid_input(names.debug_log,
                                 "debug log has " + std::to_string(b.debug_log.size()) +
                                     " bytes; it needs the cursor word and whole u32 words",
                                 "build it with vyre encode-debug-log");
  });
  rethrow(names.io_queue, [&] {
    if (validate_io_queue_bytes(b.io_queue) == 0)
      throw Error::queue_full("io_queue requires at least one slot; build it with vyre encode-io-queue");
  });
}

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
    std::filesystem::path file = value.get<std::string>();
    // Relative paths are relative to the map file, so maps can travel with their data.
    if (file.is_relative() && !base.empty() && source != "<stdin>") file = base / file;
    map[id] = file.string();
  }
  return map;
}

void write_buffers_to_dir(const std::string& dir, const DispatchBuffers& b) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error::io(dir, "cannot create the output directory: " + ec.message(), "check the path");
  write_output(dir + "/control.bin", b.control, OutputKind::Binary);
  write_output(dir + "/ring.bin", b.ring, OutputKind::Binary);
  write_output(dir + "/debug_log.bin", b.debug_log, OutputKind::Binary);
  write_output(dir + "/io_queue.bin", b.io_queue, OutputKind::Binary);
}

std::vector<IoServiced> pump_io_queue(MutableByteSpan io_queue, const ResourceMap& resources, uint32_t pass) {
  std::vector<IoServiced> serviced;
  std::vector<std::pair<uint32_t, bool>> completions;
  for (const IoRequest& r : claim_io_requests(io_queue)) {
    IoServiced s;
    s.pass = pass;
    s.io_slot = r.slot_idx;
    s.resource_id = r.src_handle;
    auto it = resources.find(r.src_handle);
    if (it == resources.end()) {
      s.error = "resource id not in the resource map";
    } else {
      s.file = it->second;
      struct stat st {};
      std::ifstream probe(s.file, std::ios::binary);
      if (::stat(s.file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || !probe.good()) {
        s.error = "file missing or unreadable";
      } else {
        s.ok = true;
        s.bytes = static_cast<uint64_t>(st.st_size);
      }
    }
    completions.emplace_back(r.slot_idx, s.ok);
    serviced.push_back(std::move(s));
  }
  complete_io_requests_batch(io_queue, completions);
  return serviced;
}

DispatchResult run_dispatch(PassRunner& runner, DispatchBuffers buffers, const DispatchOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  validate_dispatch_buffers(buffers);
  if (options.mode == DispatchMode::Persistent && options.max_iterations == 0)
    throw Error::usage("--max-iterations must be at least 1 in persistent mode", "pass --max-iterations N");
  DispatchResult result;
  std::array<uint32_t, stats::WORDS> st{};
  runner.set_cancel(options.cancel);
  runner.begin(buffers, result.timings);
  const uint32_t iterations = options.mode == DispatchMode::Once ? 1 : options.max_iterations;
  const uint64_t io_slots = buffers.io_queue.size() / protocol::io::IO_SLOT_BYTES;
  // Each launch after the first finishes every waiting slot and gives each
  // freed IO slot to a new request, so this many launches always suffice.
  const uint64_t max_launches = 4 + 2 * ((uint64_t{buffers.slot_count()} + io_slots - 1) / io_slots);
  uint32_t last_waiting = 0, last_full = 0, last_faults = 0;
  for (;;) {
    if (options.cancel.stop_requested())
      throw Error::backend("the dispatch was stopped before launch " + std::to_string(result.launches + 1) +
                           ". Fix: run it again to completion");
    st[stats::WAITING] = st[stats::IO_FULL] = 0;
    runner.launch(iterations, st, buffers, result.timings);
    ++result.launches;
    result.passes += iterations;
    auto serviced = pump_io_queue(buffers.io_queue, options.resources, result.launches);
    result.io.insert(result.io.end(), serviced.begin(), serviced.end());
    if (st[stats::WAITING] == 0 && st[stats::IO_FULL] == 0) break;
    const bool stalled = result.launches > 1 && serviced.empty() && st[stats::WAITING] == last_waiting &&
                         st[stats::IO_FULL] == last_full && st[stats::FAULTS] == last_faults;
    if (stalled) {
      result.io_stalled_waiting = st[stats::WAITING];
      result.io_stalled_queue_full = st[stats::IO_FULL];
      break;
    }
    last_waiting = st[stats::WAITING];
    last_full = st[stats::IO_FULL];
    last_faults = st[stats::FAULTS];
    if (result.launches >= max_launches)
      throw Error::backend("LOAD_MISS requests did not drain after " + std::to_string(result.launches) +
                           " launches. Fix: check the IO queue for slots the host cannot complete");
  }
  runner.end(buffers, result.timings);
  result.faults = st[stats::FAULTS];
  result.backend = runner.backend_name();
  result.device = runner.device_name();
  result.workgroup_size = runner.workgroup_size();
  result.buffers = std::move(buffers);
  result.timings.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace vyre
