#include "vyre/replay.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>

#include "vyre/error.h"
#include "vyre/file_io.h"
#include "vyre/ring.h"

namespace vyre {

RecordSummary record_published(ReplayLog& log, ByteSpan ring, ByteSpan control, uint64_t timestamp_ns) {
  validate_ring_bytes(ring);
  RecordSummary summary;
  summary.epoch = read_epoch(control);
  const uint64_t live_before = log.records().size();
  const uint32_t slots = static_cast<uint32_t>(ring.size() / protocol::SLOT_BYTES);
  for (uint32_t s = 0; s < slots; ++s) {
    const SlotView v = decode_slot(ring, s);
    if (v.status != protocol::slot::PUBLISHED) continue;
    RecordedSlot r;
    r.timestamp_ns = timestamp_ns;
    r.slot_idx = s;
    r.tenant_id = v.tenant;
    r.opcode = v.opcode;
    std::copy_n(v.args.begin(), protocol::replay::RECORD_ARGS, r.args.begin());
    if (std::any_of(v.args.begin() + protocol::replay::RECORD_ARGS, v.args.end(), [](uint32_t a) { return a != 0; }))
      summary.truncated_slots.push_back(s);
    r.epoch = summary.epoch;
    log.append(r);
    ++summary.recorded;
  }
  const uint64_t fit = log.capacity() - std::min(log.capacity(), live_before);
  summary.overwritten = summary.recorded > fit ? summary.recorded - fit : 0;
  return summary;
}

ReplayLog load_or_create_log(const std::string& path, uint64_t capacity) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return ReplayLog::create(capacity);
  try {
    return ReplayLog::parse(read_input(path));
  } catch (const Error& e) {
    throw e.with_context(path);
  }
}

RecordLock::RecordLock(const std::string& log_path) {
  const std::filesystem::path parent = std::filesystem::path(log_path).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) return;  // the output checks report a missing directory
  while (::flock(fd_, LOCK_EX) != 0)
    if (errno != EINTR) return;  // a filesystem without locks: record unlocked, as before
}

RecordLock::~RecordLock() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t default_record_capacity(uint64_t published_slots) {
  uint64_t capacity = kMinRecordCapacity;
  while (capacity < 2 * published_slots && capacity < protocol::replay::MAX_REPLAY_RECORDS) capacity *= 2;
  return capacity;
}

uint64_t wall_clock_ns() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
}

}  // namespace vyre
