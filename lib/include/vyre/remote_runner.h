// The client side of a dispatch server (dispatch_server.h): a PassRunner
// whose begin, launches and end run on the server's device. run_dispatch
// drives it like a local runner, so dispatch, bench and replay run on a
// server unchanged; the IO pump and the resource files stay in this process.
#pragma once

#include <memory>
#include <string>

#include "vyre/dispatch.h"
#include "vyre/opencl_dispatch.h"

namespace vyre {

class RemoteRunner final : public PassRunner {
 public:
  // Connects to the server at `socket_path` and checks that it runs what
  // `expected` asks for (the user opcodes, the work-group size); `log` is
  // the server's log file when known (an auto-started server), named in the
  // error when the server goes away mid-request.
  RemoteRunner(std::string socket_path, const OpenClOptions& expected, std::string log = {});
  ~RemoteRunner() override;
  std::string backend_name() const override { return "opencl"; }
  std::string device_name() const override;
  uint32_t workgroup_size() const override;
  void keep_start(const DispatchBuffers& start) override;
  void begin(DispatchBuffers& buffers, const DispatchOptions& options, DispatchTimings& timings) override;
  void launch(uint32_t iterations, std::array<uint32_t, stats::WORDS>& stats, DispatchBuffers& buffers,
              DispatchTimings& timings) override;
  void end(DispatchBuffers& buffers, DispatchTimings& timings) override;
  void set_cancel(std::stop_token token) override;
  std::optional<TransferRates> measure_bus(size_t bytes) override;
  std::pair<uint64_t, uint64_t> bytes_moved(const BufferSizes& sizes) override;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace vyre
