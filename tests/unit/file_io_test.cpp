#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "vyre/error.h"
#include "vyre/file_io.h"

using namespace vyre;
namespace fs = std::filesystem;

TEST_CASE("outputs are replaced atomically and leave no temp files") {
  const fs::path dir = fs::temp_directory_path() / ("vyre_file_io_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "out.bin").string();
  write_output(path, std::string_view("first"), OutputKind::Binary);
  write_output(path, std::string_view("second!"), OutputKind::Binary);
  CHECK(read_text_input(path) == "second!");
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  CHECK(entries == 1);
  fs::remove_all(dir);
}

TEST_CASE("I/O errors carry the path and exit code 3") {
  try {
    read_input("/nonexistent/file.bin");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.exit_code() == 3);
    CHECK(std::string(e.what()).find("/nonexistent/file.bin: cannot open") == 0);
  }
  CHECK_THROWS_AS(write_output("/nonexistent/dir/x.bin", std::string_view("x"), OutputKind::Binary), Error);
}
