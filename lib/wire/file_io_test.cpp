#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "vyre/error.h"
#include "vyre/file_io.h"

using namespace vyre;
namespace fs = std::filesystem;

TEST_CASE("I/O errors carry the path and exit code 3") {
  try {
    read_input("/nonexistent/file.bin");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.exit_code() == 3);
    CHECK(std::string(e.what()).find("/nonexistent/file.bin: cannot open") == 0);
  }
}

TEST_CASE("inputs are read whole, also from a pipe, and a directory is refused") {
  const fs::path dir = fs::temp_directory_path() / ("vyre_file_io_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string big((1 << 20) + 3, 'x');
  std::ofstream(dir / "big.bin", std::ios::binary) << big;
  CHECK(read_text_input((dir / "big.bin").string()) == big);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::write(fds[1], "piped", 5) == 5);
  ::close(fds[1]);
  CHECK(read_text_input("/dev/fd/" + std::to_string(fds[0])) == "piped");
  ::close(fds[0]);
  CHECK_THROWS_WITH_AS(read_input(dir.string()), doctest::Contains("is a directory"), Error);
  fs::remove_all(dir);
}

TEST_CASE("two inputs on stdin are refused, naming both") {
  CHECK_NOTHROW(check_single_stdin({{"A", "a.bin"}, {"B", "-"}}));
  CHECK_THROWS_WITH_AS(check_single_stdin({{"--ring", "-"}, {"--control", "c.bin"}, {"--io-queue", "-"}}),
                       "--ring and --io-queue both read stdin. Fix: name a file for one of them", Error);
  // stdin under its other names is the same stream.
  CHECK_THROWS_WITH_AS(check_single_stdin({{"A", "-"}, {"B", "/dev/stdin"}}),
                       "A and B both read stdin. Fix: name a file for one of them", Error);
  CHECK_THROWS_WITH_AS(check_single_stdin({{"A", "/proc/self/fd/0"}, {"B", "/dev/fd/0"}}),
                       "A and B both read stdin. Fix: name a file for one of them", Error);
  CHECK_THROWS_WITH_AS(check_single_stdin({{"A", "/dev/fd/7"}, {"B", "/proc/self/fd/7"}}),
                       "A and B both read descriptor 7. Fix: name a file for one of them", Error);
  CHECK_NOTHROW(check_single_stdin({{"A", "/dev/fd/7"}, {"B", "/dev/fd/8"}}));
}
