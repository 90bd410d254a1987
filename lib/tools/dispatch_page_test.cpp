#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "vyre/dispatch_page.h"
#include "vyre/error.h"

using namespace vyre;

namespace {
const std::string kOutDir = std::string(VYRE_SOURCE_DIR) + "/testdata/cli/expected/dispatch";

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("the page shows the buffers and the report of a dispatch, and loads nothing") {
  const DispatchPage page = load_dispatch_page(kOutDir, "");
  REQUIRE(page.report);
  const std::string html = dispatch_page_html(page, nullptr);
  for (const char* id : {"ring-map", "statuses", "metrics", "observables", "faults", "printf", "io"})
    CHECK_MESSAGE(html.find("<section id=\"" + std::string(id) + "\">") != std::string::npos, id);
  CHECK(count(html, "<svg ") == 1);
  CHECK(html.find("2 FAULT slots") != std::string::npos);
  CHECK(html.find("12 done (DONE_COUNT), epoch 1") != std::string::npos);
  CHECK(html.find("<tr><td class=\"num\">11</td><td>STORE_U32</td>") != std::string::npos);
  CHECK(html.find("resource-7.bin") != std::string::npos);
  CHECK(html.find("resource id not in the resource map") != std::string::npos);
  // Self-contained: no scripts, no references to anything else.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(count(html, "http") == count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
}

TEST_CASE("without a report the page says where the rest is; a report that is none is refused") {
  const auto dir = std::filesystem::temp_directory_path() / "vyre-page-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const char* f : {"control.bin", "ring.bin", "debug_log.bin", "io_queue.bin"})
    std::filesystem::copy_file(kOutDir + "/" + f, dir / f);
  const DispatchPage page = load_dispatch_page(dir.string(), "");
  CHECK_FALSE(page.report);
  CHECK(dispatch_page_html(page, nullptr).find("pass it with --dispatch-report") != std::string::npos);
  std::ofstream(dir / "report.json") << R"({"slot_count": 16})";
  CHECK_THROWS_WITH_AS(load_dispatch_page(dir.string(), ""), doctest::Contains("not a vyre dispatch report"), Error);
  std::ofstream(dir / "report.json") << R"({"done_count": 1, "status_counts": {}, "timings": {"kernel_ms": "fast"}})";
  CHECK_THROWS_WITH_AS(load_dispatch_page(dir.string(), ""), doctest::Contains("timings.kernel_ms: expected a number"),
                       Error);
  std::ofstream(dir / "report.json") << R"({"done_count": 1, "status_counts": {}, "slot_count": 3})";
  CHECK_THROWS_WITH_AS(load_dispatch_page(dir.string(), ""),
                       doctest::Contains(("the report is of a dispatch of 3 slots, but " + dir.string() +
                                          "/ring.bin holds 16").c_str()),
                       Error);
  std::filesystem::remove(dir / "ring.bin");
  CHECK_THROWS_WITH_AS(load_dispatch_page(dir.string(), ""), doctest::Contains("ring.bin: cannot open"), Error);
  std::filesystem::remove_all(dir);
}
