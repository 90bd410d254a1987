// The one error type of libgrafos (the seeds' TaskletError), thrown by the
// builder, the contexts and both targets.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "vyre/exit_codes.h"

namespace grafos {

enum class TaskletErrorKind {
  InvalidConfig,   // workers, cores or sizes that break the rules of grafos-tasklets(7)
  MemoryBudget,    // shared + workers * scratch over max_linear_memory
  Cancelled,       // the deadline passed or the token was cancelled
  FuelExhausted,   // fuel_checkpoint could not be covered by the pool
  LaneFailure,     // a lane's own failure (with its lane index)
  Device,          // the OpenCL target failed (build, launch, device)
  Usage,           // a request the SDK cannot run as asked (an unknown tasklet, a FILE.cl on the host)
  InvalidInput,    // input bytes the tasklet does not take (a partial u32 word)
  Io,              // a file the job reads could not be read
};

class TaskletError : public std::runtime_error {
 public:
  TaskletError(TaskletErrorKind kind, std::string message, int64_t lane = -1)
      : std::runtime_error(std::move(message)), kind_(kind), lane_(lane) {}
  TaskletErrorKind kind() const { return kind_; }
  // The raw lane that failed, or -1.
  int64_t lane() const { return lane_; }
  // Documented in man/grafos-run-tasklet.1.
  int exit_code() const {
    switch (kind_) {
      case TaskletErrorKind::InvalidConfig:
      case TaskletErrorKind::MemoryBudget: return vyre::kExitTaskletConfig;
      case TaskletErrorKind::FuelExhausted: return vyre::kExitFuelExhausted;
      case TaskletErrorKind::Cancelled: return vyre::kExitCancelled;
      case TaskletErrorKind::LaneFailure: return vyre::kExitLaneFailure;
      case TaskletErrorKind::Device: return vyre::kExitDevice;
      case TaskletErrorKind::Usage: return vyre::kExitUsage;
      case TaskletErrorKind::InvalidInput: return vyre::kExitInvalidInput;
      case TaskletErrorKind::Io: return vyre::kExitIo;
    }
    return vyre::kExitLaneFailure;
  }
  const char* kind_name() const {
    switch (kind_) {
      case TaskletErrorKind::InvalidConfig: return "InvalidConfig";
      case TaskletErrorKind::MemoryBudget: return "MemoryBudget";
      case TaskletErrorKind::Cancelled: return "Cancelled";
      case TaskletErrorKind::FuelExhausted: return "FuelExhausted";
      case TaskletErrorKind::LaneFailure: return "LaneFailure";
      case TaskletErrorKind::Device: return "Device";
      case TaskletErrorKind::Usage: return "Usage";
      case TaskletErrorKind::InvalidInput: return "InvalidInput";
      case TaskletErrorKind::Io: return "Io";
    }
    return "Unknown";
  }

 private:
  TaskletErrorKind kind_;
  int64_t lane_;
};

// Why a run past its deadline (--timeout) was cancelled, on both targets.
inline constexpr const char* kDeadlinePassed = "the deadline passed. Fix: raise --timeout, or leave it out";

// What barrier() throws when the tasklet is cancelled while a lane waits.
class Cancelled : public TaskletError {
 public:
  explicit Cancelled(std::string why) : TaskletError(TaskletErrorKind::Cancelled, "tasklet cancelled: " + std::move(why)) {}
};

// What fuel_checkpoint() throws when the pool cannot cover the units, or
// when no pool is configured (the V1 behaviour).
class FuelExhausted : public TaskletError {
 public:
  FuelExhausted(std::string why, int64_t lane)
      : TaskletError(TaskletErrorKind::FuelExhausted,
                     "fuel exhausted: " + std::move(why) + ". Fix: raise the pool (--fuel) to cover the checkpoints",
                     lane) {}
};

}  // namespace grafos
