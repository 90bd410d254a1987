#include <doctest/doctest.h>

#include "vyre/error.h"
#include "vyre/exit_codes.h"

using namespace vyre;

TEST_CASE("an error keeps its summary and fix apart, and a tool may give another fix") {
  const Error e = Error::invalid_input("spec.json: slots[2]", "unknown key \"x\"", "remove it");
  CHECK(std::string(e.what()) == "spec.json: slots[2]: unknown key \"x\". Fix: remove it");
  CHECK(e.summary() == "unknown key \"x\"");
  CHECK(e.fix() == "remove it");
  CHECK(std::string(e.with_fix("see vyre encode-ring(1)").what()) ==
        "spec.json: slots[2]: unknown key \"x\". Fix: see vyre encode-ring(1)");
  CHECK(std::string(e.with_context("job").what()) == "job: spec.json: slots[2]: unknown key \"x\". Fix: remove it");
}

TEST_CASE("upstream's Display texts, and QueueFull's reason kept when the fix changes") {
  const Error q = Error::queue_full("slot is not publishable");
  CHECK(std::string(q.what()) == "io_uring submission queue at capacity. Fix: slot is not publishable");
  CHECK(std::string(q.with_fix("use another slot").what()) ==
        "io_uring submission queue at capacity: slot is not publishable. Fix: use another slot");
  const Error b = Error::backend("io_queue has 33 bytes", "pass whole IO slots.");
  CHECK(std::string(b.what()) == "backend error: io_queue has 33 bytes. Fix: pass whole IO slots.");
  CHECK(b.payload() == "io_queue has 33 bytes. Fix: pass whole IO slots.");
  CHECK(std::string(Error::byte_length_overflow("ring", "shard").to_pipeline().what()) ==
        "io_uring submission queue at capacity. Fix: shard");
}

TEST_CASE("each kind has its documented exit code") {
  CHECK(Error::usage("x", "y").exit_code() == kExitUsage);
  CHECK(Error::io("f", "x", "y").exit_code() == kExitIo);
  CHECK(Error::invalid_input("f", "x", "y").exit_code() == kExitInvalidInput);
  CHECK(Error::missing_word("ring", 3, 4, "x").exit_code() == kExitInvalidInput);
  CHECK(Error::kind_from_variant("QueueFull") == ErrorKind::QueueFull);
  CHECK(Error::kind_from_variant("Cancelled") == ErrorKind::Cancelled);
}
