// OutputSet: atomic replacement of files, all or nothing; the special files
// (devices, FIFOs, sockets, descriptors) are exercised by the CLI test
// tests/cli/special_files_test.sh inside a private /dev.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "vyre/error.h"
#include "vyre/file_io.h"
#include "vyre/output_set.h"

using namespace vyre;
namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("vyre_output_set_" + std::to_string(::getpid()));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
  size_t entries() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::recursive_directory_iterator(path)) ++n;
    return n;
  }
};
void put(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
}  // namespace

TEST_CASE("a file is replaced atomically, keeps its mode and leaves no temporary file") {
  TempDir dir;
  put(dir / "out.bin", "first");
  ::chmod((dir / "out.bin").c_str(), 0600);
  write_output(dir / "out.bin", std::string_view("second!"), OutputKind::Binary);
  CHECK(read_text_input(dir / "out.bin") == "second!");
  struct stat st {};
  REQUIRE(::stat((dir / "out.bin").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(dir.entries() == 1);
}

TEST_CASE("all outputs or none: a failing output replaces no other") {
  TempDir dir;
  put(dir / "a.bin", "old a");
  OutputSet set;
  const size_t a = set.add(dir / "a.bin", OutputKind::Binary, "-o");
  const std::string prefix = set.add_directory(dir / "new/deeper", "--out-dir");
  const size_t in_dir = set.add(prefix + "x.bin", OutputKind::Binary, "--out-dir");
  set.set(a, std::string("new a"));
  set.set(in_dir, std::string("x"));
  // The directory that should hold the second output becomes a file before
  // the commit: its write fails, and the first output must stay old.
  put(dir / "new", "in the way");
  CHECK_THROWS_AS(set.commit(), Error);
  CHECK(read_text_input(dir / "a.bin") == "old a");
  CHECK(dir.entries() == 2);  // a.bin and the file in the way, nothing else
}

TEST_CASE("a directory the set created is removed again when the commit fails") {
  TempDir dir;
  OutputSet set;
  const std::string prefix = set.add_directory(dir / "made/here", "--out-dir");
  const size_t x = set.add(prefix + "x.bin", OutputKind::Binary, "--out-dir");
  const size_t y = set.add(dir / "y.bin", OutputKind::Binary, "--report");
  set.set(x, std::string("x"));
  set.set(y, std::string("y"));
  ::chmod(dir.path.c_str(), 0500);  // nothing can be created beside them now
  const bool root = ::geteuid() == 0;
  if (!root) {
    CHECK_THROWS_AS(set.commit(), Error);
    ::chmod(dir.path.c_str(), 0700);
    CHECK_FALSE(fs::exists(dir / "made"));
    CHECK(dir.entries() == 0);
  } else {
    ::chmod(dir.path.c_str(), 0700);  // root writes anyway: the commit succeeds
    set.commit();
    CHECK(read_text_input(prefix + "x.bin") == "x");
  }
}

TEST_CASE("outputs are checked when declared") {
  TempDir dir;
  OutputSet set;
  set.add(dir / "r.json", OutputKind::Text, "--report");
  CHECK_THROWS_WITH_AS(set.add(dir / "r.json", OutputKind::Text, "--plot"),
                       doctest::Contains("--report and --plot both name"), Error);
  CHECK_THROWS_WITH_AS(set.add(dir.path.string(), OutputKind::Text, "-o"), doctest::Contains("is a directory"), Error);
  CHECK_THROWS_WITH_AS(set.add(dir / "missing/x.bin", OutputKind::Text, "-o"),
                       doctest::Contains("its directory"), Error);
  CHECK_THROWS_WITH_AS(set.add_directory("-", "--out-dir"), doctest::Contains("cannot go to stdout"), Error);
  OutputSet two;
  two.add("-", OutputKind::Text, "-o");
  CHECK_THROWS_WITH_AS(two.add("/dev/stdout", OutputKind::Text, "--report"),
                       "-o and --report both write to stdout. Fix: send one of them to a file, e.g. --report FILE",
                       Error);
}

TEST_CASE("a symlink's target is replaced and the link stays") {
  TempDir dir;
  put(dir / "target.bin", "old");
  fs::create_symlink("target.bin", dir / "link.bin");
  write_output(dir / "link.bin", std::string_view("new"), OutputKind::Binary);
  CHECK(fs::is_symlink(dir / "link.bin"));
  CHECK(read_text_input(dir / "target.bin") == "new");
}

TEST_CASE("a stop requested before the commit writes nothing") {
  TempDir dir;
  OutputSet set;
  set.set(set.add(dir / "out.bin", OutputKind::Binary, "-o"), std::string("x"));
  std::stop_source stop;
  stop.request_stop();
  CHECK_THROWS_AS(set.commit(stop.get_token()), Error);
  CHECK_FALSE(fs::exists(dir / "out.bin"));
}
