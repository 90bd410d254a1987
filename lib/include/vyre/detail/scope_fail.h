// Runs a cleanup only when the scope is left by an exception: what must
// happen before the unwinding frees something that work still in flight
// may touch (a device's transfers into the caller's buffers).
#pragma once

#include <exception>
#include <utility>

namespace vyre::detail {

template <typename F>
class ScopeFail {
 public:
  explicit ScopeFail(F f) : f_(std::move(f)) {}
  ScopeFail(const ScopeFail&) = delete;
  ScopeFail& operator=(const ScopeFail&) = delete;
  ~ScopeFail() {
    if (std::uncaught_exceptions() != pending_) f_();
  }

 private:
  F f_;
  int pending_ = std::uncaught_exceptions();
};

}  // namespace vyre::detail
