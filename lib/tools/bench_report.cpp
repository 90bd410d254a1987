#include "vyre/bench_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

#include "vyre/markup.h"

namespace vyre {

namespace {

double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

// "12.3 Mslots/s", "45.6 GB/s": work per second in a readable unit.
std::string rate_text(double per_second, const std::string& unit) {
  const bool bytes = unit == "bytes";
  const char* prefixes[] = {"", "K", "M", "G", "T"};
  int p = 0;
  double v = per_second;
  while (v >= 1000 && p < 4) v /= 1000, ++p;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g %s%s/s", v, prefixes[p], bytes ? "B" : unit.c_str());
  return buf;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// Round tick steps (1, 2, 5 x 10^k) giving about `count` ticks over [lo, hi].
std::vector<double> ticks(double lo, double hi, int count) {
  const double raw = (hi - lo) / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) {
      step = m * mag;
      break;
    }
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

std::string header_line(const BenchReport& r) {
  std::ostringstream out;
  out << r.tool << ": " << r.subject << " (" << r.work_per_run << " " << r.work_unit << " per run), " << r.backend
      << " on " << r.device << ", " << r.repeat << " runs after " << r.warmup << " warm-up";
  return out.str();
}

}  // namespace

double BenchFloor::transfer_ms() const {
  auto ms = [](uint64_t bytes, double gbps) { return gbps > 0 ? static_cast<double>(bytes) / (gbps * 1e6) : 0.0; };
  return ms(bytes_to_device, host_to_device_gbps) + ms(bytes_to_host, device_to_host_gbps);
}

namespace {

const BenchSeries* find_series(const BenchReport& r, const std::string& name) {
  for (const BenchSeries& s : r.series)
    if (s.name == name) return &s;
  return nullptr;
}

// The wall median over the floor; 0 when either is missing.
double wall_over_floor(const BenchReport& r) {
  const BenchSeries* wall = find_series(r, "wall_ms");
  if (!r.floor || wall == nullptr || r.floor->floor_ms() <= 0) return 0;
  return sample_stats(wall->ms).median / r.floor->floor_ms();
}

std::string mib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

}  // namespace

SampleStats sample_stats(std::span<const double> samples) {
  SampleStats s;
  s.count = samples.size();
  if (samples.empty()) return s;
  std::vector<double> v(samples.begin(), samples.end());
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.max = v.back();
  s.q1 = quantile(v, 0.25);
  s.median = quantile(v, 0.5);
  s.q3 = quantile(v, 0.75);
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double sq = 0;
  for (double x : v) sq += (x - s.mean) * (x - s.mean);
  s.stddev = v.size() > 1 ? std::sqrt(sq / static_cast<double>(v.size() - 1)) : 0.0;
  return s;
}

std::string bench_table(const BenchReport& r) {
  std::ostringstream out;
  out << header_line(r) << "\n";
  if (r.setup_ms > 0) out << "setup (device, context, build; not timed below): " << fmt(r.setup_ms) << " ms\n";
  char line[200];
  std::snprintf(line, sizeof line, "%-10s %11s %11s %11s %11s %10s  %s\n", "", "min ms", "median ms", "max ms", "mean ms",
                "stddev", "rate at median");
  out << line;
  for (const BenchSeries& s : r.series) {
    const SampleStats st = sample_stats(s.ms);
    const std::string rate =
        st.median > 0 ? rate_text(static_cast<double>(r.work_per_run) / (st.median / 1e3), r.work_unit) : "-";
    std::snprintf(line, sizeof line, "%-10s %11.4f %11.4f %11.4f %11.4f %10.4f  %s\n",
                  s.name.substr(0, s.name.rfind("_ms")).c_str(), st.min, st.median, st.max, st.mean, st.stddev,
                  rate.c_str());
    out << line;
  }
  if (r.floor) {
    const BenchFloor& f = *r.floor;
    std::snprintf(line, sizeof line, "%-10s %11s %11.4f %11s %11s %10s  %s up at %.3g GB/s, %s down at %.3g GB/s, kernel %.4g ms\n",
                  "floor", "", f.floor_ms(), "", "", "", mib(f.bytes_to_device).c_str(), f.host_to_device_gbps,
                  mib(f.bytes_to_host).c_str(), f.device_to_host_gbps, f.kernel_ms);
    out << line;
    if (const double ratio = wall_over_floor(r); ratio > 0) out << "wall median is " << fmt(ratio) << "x the floor\n";
  }
  return out.str();
}

nlohmann::json bench_json(const BenchReport& r) {
  nlohmann::json series = nlohmann::json::object();
  for (const BenchSeries& s : r.series) {
    const SampleStats st = sample_stats(s.ms);
    series[s.name] = {{"description", s.description},
                      {"min", st.min},
                      {"q1", st.q1},
                      {"median", st.median},
                      {"q3", st.q3},
                      {"max", st.max},
                      {"mean", st.mean},
                      {"stddev", st.stddev},
                      {"per_second_at_median",
                       st.median > 0 ? nlohmann::json(static_cast<double>(r.work_per_run) / (st.median / 1e3))
                                     : nlohmann::json(nullptr)},
                      {"samples", s.ms}};
  }
  nlohmann::json out = {{"tool", r.tool},       {"subject", r.subject},   {"backend", r.backend},
                        {"device", r.device},   {"work_unit", r.work_unit}, {"work_per_run", r.work_per_run},
                        {"repeat", r.repeat},   {"warmup", r.warmup},     {"setup_ms", r.setup_ms},
                        {"context", r.context}, {"series", series}};
  if (r.floor) {
    const BenchFloor& f = *r.floor;
    out["floor"] = {{"bytes_to_device", f.bytes_to_device},
                    {"bytes_to_host", f.bytes_to_host},
                    {"host_to_device_gbps", f.host_to_device_gbps},
                    {"device_to_host_gbps", f.device_to_host_gbps},
                    {"transfer_ms", f.transfer_ms()},
                    {"kernel_ms", f.kernel_ms},
                    {"floor_ms", f.floor_ms()},
                    {"wall_over_floor", wall_over_floor(r)}};
  }
  return out;
}

std::string bench_csv(const BenchReport& r) {
  // One header for every tool: a series a tool does not measure is an empty
  // cell, so the files of vyre bench and grafos bench read alike.
  const BenchSeries* columns[5] = {};
  for (const BenchSeries& s : r.series) {
    const size_t at = s.name == "wall_ms"       ? 0
                      : s.name == "kernel_ms"   ? 1
                      : s.name == "upload_ms"   ? 3
                      : s.name == "readback_ms" ? 4
                                                : 2;  // memcpy_ms, copy_ms
    columns[at] = &s;
  }
  std::ostringstream out;
  out << kBenchCsvHeader << "\n";
  for (uint32_t i = 0; i < r.repeat; ++i) {
    out << i;
    for (const BenchSeries* s : columns) {
      out << ",";
      if (!s || i >= s->ms.size()) continue;
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6f", s->ms[i]);
      out << buf;
    }
    out << "\n";
  }
  return out.str();
}

// One panel per series with its own axis (kernel and wall times can differ by
// orders of magnitude): the samples as dots, jittered vertically so repeats
// stay visible, over a box from the first to the third quartile with the
// median marked and whiskers to min and max.
std::string bench_svg(const BenchReport& r) {
  const int width = 760, left = 40, right = 40, panel_h = 130, top = 72;
  const int height = top + panel_h * static_cast<int>(r.series.size()) + 10;
  std::ostringstream out;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  out << "<text x=\"" << left << "\" y=\"20\" font-size=\"14\" font-weight=\"bold\">" << xml_text(r.tool + ": " + r.subject)
      << "</text>\n";
  out << "<text x=\"" << left << "\" y=\"38\" fill=\"#444\">" << r.work_per_run << " " << xml_text(r.work_unit)
      << " per run, " << r.repeat << " runs after " << r.warmup << " warm-up, " << xml_text(r.backend) << "</text>\n";
  out << "<text x=\"" << left << "\" y=\"54\" fill=\"#444\">" << xml_text(r.device) << "</text>\n";
  const double plot_w = width - left - right;
  for (size_t p = 0; p < r.series.size(); ++p) {
    const BenchSeries& s = r.series[p];
    const SampleStats st = sample_stats(s.ms);
    const double y0 = top + static_cast<double>(p) * panel_h;
    double lo = st.min, hi = st.max;
    if (hi - lo < std::max(1e-9, std::abs(hi) * 1e-6)) lo -= std::max(1e-6, std::abs(lo) * 0.05), hi += std::max(1e-6, std::abs(hi) * 0.05);
    const double pad = (hi - lo) * 0.05;
    lo -= pad, hi += pad;
    if (lo < 0 && st.min >= 0) lo = 0;
    auto x = [&](double v) { return left + (v - lo) / (hi - lo) * plot_w; };
    const double mid = y0 + 50, axis_y = y0 + 92;
    out << "<g class=\"series\" data-name=\"" << xml_text(s.name) << "\">\n";
    out << "<text x=\"" << left << "\" y=\"" << y0 + 14 << "\" font-weight=\"bold\">" << xml_text(s.name) << "</text>";
    out << "<text x=\"" << left + 90 << "\" y=\"" << y0 + 14 << "\" fill=\"#444\">n=" << st.count << "  min "
        << fmt(st.min) << "  median " << fmt(st.median) << "  max " << fmt(st.max) << " ms</text>\n";
    // Whiskers, box, median.
    out << "<line x1=\"" << x(st.min) << "\" y1=\"" << mid << "\" x2=\"" << x(st.max) << "\" y2=\"" << mid
        << "\" stroke=\"#888\"/>\n";
    out << "<rect class=\"box\" x=\"" << x(st.q1) << "\" y=\"" << mid - 16 << "\" width=\"" << std::max(1.0, x(st.q3) - x(st.q1))
        << "\" height=\"32\" fill=\"#dde8f6\" stroke=\"#4a78b0\"/>\n";
    out << "<line class=\"median\" x1=\"" << x(st.median) << "\" y1=\"" << mid - 20 << "\" x2=\"" << x(st.median)
        << "\" y2=\"" << mid + 20 << "\" stroke=\"#c0392b\" stroke-width=\"2\"/>\n";
    for (size_t i = 0; i < s.ms.size(); ++i) {
      // Deterministic jitter: the same runs give the same picture.
      const double j = static_cast<double>((i * 2654435761u) % 1000) / 1000.0 - 0.5;
      out << "<circle class=\"sample\" cx=\"" << x(s.ms[i]) << "\" cy=\"" << mid + j * 26
          << "\" r=\"2.5\" fill=\"#1f3b5c\" fill-opacity=\"0.6\"><title>run " << i << ": " << fmt(s.ms[i])
          << " ms</title></circle>\n";
    }
    out << "<line x1=\"" << left << "\" y1=\"" << axis_y << "\" x2=\"" << left + plot_w << "\" y2=\"" << axis_y
        << "\" stroke=\"black\"/>\n";
    for (double t : ticks(lo, hi, 6)) {
      out << "<line x1=\"" << x(t) << "\" y1=\"" << axis_y << "\" x2=\"" << x(t) << "\" y2=\"" << axis_y + 5
          << "\" stroke=\"black\"/><text x=\"" << x(t) << "\" y=\"" << axis_y + 18 << "\" text-anchor=\"middle\">"
          << fmt(t) << "</text>\n";
    }
    out << "<text x=\"" << left + plot_w << "\" y=\"" << axis_y + 32 << "\" text-anchor=\"end\" fill=\"#444\">ms</text>\n";
    out << "</g>\n";
  }
  out << "</svg>\n";
  return out.str();
}

}  // namespace vyre
