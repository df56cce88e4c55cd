// Stacked learning-curve panels. Each axis is "nice": its step is the smallest of 1, 2 or 5 × 10^k
// for which the range, its ends rounded out to whole steps (unless the panel fixes them), spans at
// most kMaxIntervals steps. Data are mapped linearly into each panel's plot box; lines longer than
// kMaxLinePoints are thinned by keeping each bucket's minimum and maximum, which preserves the
// envelope a reader sees (spikes included) at a fraction of the size.
#include "report/learning_curve.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "report/svg.h"

namespace report {
namespace {

// Layout, px.
constexpr double kWidth = 760.0;
constexpr double kMarginLeft = 76.0;        // y tick labels and the y label
constexpr double kMarginRight = 24.0;
constexpr double kTitleHeight = 40.0;       // the figure title
constexpr double kPanelTitleHeight = 26.0;  // each panel's title and legend
constexpr double kPlotHeight = 150.0;
constexpr double kPanelGap = 16.0;
constexpr double kBottomHeight = 50.0;      // x tick labels and the x label
constexpr double kCharWidth = 6.2;          // average width of an 11 px sans-serif character
constexpr double kTitleCharWidth = 8.0;     // a generous width of a 13 px bold character
constexpr double kLegendRowHeight = 16.0;   // a legend too long to share the title's row gets its own
constexpr int kMaxIntervals = 6;
constexpr double kClipPad = 4.0;            // curves may spill this far past the box: whole markers

constexpr std::array<const char*, 6> kPalette = {"#1f77b4", "#d62728", "#2ca02c",
                                                 "#ff7f0e", "#9467bd", "#8c564b"};
const char* const kInk = "#222222";
const char* const kMutedInk = "#555555";
const char* const kGrid = "#e6e6e6";
const char* const kAxis = "#888888";

/// The data points of a series that can be drawn (both coordinates finite).
std::vector<Point> finite_points(const Series& series) {
  std::vector<Point> out;
  const std::size_t n = std::min(series.x.size(), series.y.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isfinite(series.x[i]) && std::isfinite(series.y[i])) {
      out.push_back({series.x[i], series.y[i]});
    }
  }
  return out;
}

/// Smallest and largest value seen; lo > hi while empty.
struct Extent {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  bool empty() const { return lo > hi; }
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
};

/// An axis: its drawn range and the spacing of its ticks.
struct Axis {
  double lo = 0.0;
  double hi = 1.0;
  double step = 0.2;
};

/// Intervals of `step` from lo to hi, each end rounded out to a whole step unless fixed.
double interval_count(double lo, double hi, double step, bool round_lo, bool round_hi) {
  const double a = round_lo ? std::floor(lo / step + 1e-9) : lo / step;
  const double b = round_hi ? std::ceil(hi / step - 1e-9) : hi / step;
  return b - a;
}

/// The smallest 1, 2 or 5 × 10^k for which [lo, hi] (lo < hi) spans at most kMaxIntervals steps.
/// Candidates start a decade below span / kMaxIntervals (too many intervals); three decades up a
/// step exceeds the span, which gives at most 3, so four decades always find one.
double nice_step(double lo, double hi, bool round_lo, bool round_hi) {
  double magnitude = std::pow(10.0, std::floor(std::log10((hi - lo) / kMaxIntervals)) - 1.0);
  double step = magnitude;
  for (int decade = 0; decade < 4; ++decade, magnitude *= 10.0) {
    for (const double m : {1.0, 2.0, 5.0}) {
      step = m * magnitude;
      if (interval_count(lo, hi, step, round_lo, round_hi) <= kMaxIntervals + 1e-9) return step;
    }
  }
  return step;
}

/// The axis covering `data`, ends rounded out to ticks unless fixed. An empty extent gives [0, 1];
/// a single value v gives a range around it (v ± 10 %, or ± 1 at zero), never a zero span.
Axis make_axis(Extent data, std::optional<double> fixed_lo, std::optional<double> fixed_hi) {
  if (data.empty()) data = {0.0, 1.0};
  if (fixed_lo && !std::isfinite(*fixed_lo)) fixed_lo.reset();
  if (fixed_hi && !std::isfinite(*fixed_hi)) fixed_hi.reset();
  double lo = fixed_lo.value_or(data.lo);
  double hi = fixed_hi.value_or(data.hi);
  if (!(hi > lo)) {
    // A zero (or, against a fixed end, negative) span: open it from the end that is fixed.
    const bool only_lo = fixed_lo && !fixed_hi;
    const bool only_hi = fixed_hi && !fixed_lo;
    const double centre = only_hi ? hi : lo;
    const double pad = centre == 0.0 ? 1.0 : 0.1 * std::abs(centre);
    lo = only_lo ? centre : centre - pad;
    hi = only_hi ? centre : centre + pad;
  }
  const double step = nice_step(lo, hi, !fixed_lo, !fixed_hi);
  if (!fixed_lo) lo = std::floor(lo / step + 1e-9) * step;
  if (!fixed_hi) hi = std::ceil(hi / step - 1e-9) * step;
  return {lo, hi, step};
}

/// Tick values: the whole multiples of the step inside the axis (snapped, so no 0.30000000004).
/// Counted with an int: at 1e16 and beyond, adding 1.0 to a double multiple changes nothing.
std::vector<double> ticks(const Axis& axis) {
  std::vector<double> out;
  const double first = std::ceil(axis.lo / axis.step - 1e-9);
  const double last = std::floor(axis.hi / axis.step + 1e-9);
  if (!(last >= first)) return out;
  const int count = static_cast<int>(std::min(last - first, double{kMaxIntervals}));
  for (int k = 0; k <= count; ++k) out.push_back((first + k) * axis.step);
  return out;
}

/// Tick labels sharing one unit: k/M/G once the largest tick reaches `si_from`, and as many
/// decimals as the step needs in that unit (a step of 0.5M prints "0.5M", "1M", "1.5M"), with a
/// typographic minus sign.
std::vector<std::string> tick_labels(const std::vector<double>& values, double step,
                                     double si_from) {
  double largest = 0.0;
  for (const double v : values) largest = std::max(largest, std::abs(v));
  double unit = 1.0;
  std::string suffix;
  if (largest >= si_from) {
    for (const auto& [scale, name] : {std::pair{1e3, "k"}, {1e6, "M"}, {1e9, "G"}}) {
      if (largest >= scale) {
        unit = scale;
        suffix = name;
      }
    }
  }
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step / unit) - 1e-9)));
  std::vector<std::string> out;
  for (const double v : values) {
    std::string number = format_number(v / unit, decimals);
    if (number == "0") {
      out.push_back(number);
      continue;
    }
    if (number.front() == '-') number.replace(0, 1, "−");  // a typographic minus, as wide as +
    out.push_back(number + suffix);
  }
  return out;
}

/// The plot box of a panel, px, and the linear map of data into it (y up on the page).
struct PlotBox {
  double left = 0.0, top = 0.0, width = 0.0, height = 0.0;
  Axis x, y;
  Point map(double dx, double dy) const {
    return {left + (dx - x.lo) / (x.hi - x.lo) * width,
            top + height - (dy - y.lo) / (y.hi - y.lo) * height};
  }
};

/// At most `max_points` (≥ 4) of `points`: the first and the last, and for each of equal buckets
/// in between its lowest and highest y in their original order.
std::vector<Point> thin_line(const std::vector<Point>& points, int max_points) {
  const std::size_t n = points.size();
  if (n <= static_cast<std::size_t>(max_points)) return points;
  const std::size_t buckets = static_cast<std::size_t>(max_points - 2) / 2;
  std::vector<Point> out{points.front()};
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t begin = 1 + (n - 2) * b / buckets;
    const std::size_t end = 1 + (n - 2) * (b + 1) / buckets;
    std::size_t low = begin, high = begin;
    for (std::size_t i = begin; i < end; ++i) {
      if (points[i].y < points[low].y) low = i;
      if (points[i].y > points[high].y) high = i;
    }
    out.push_back(points[std::min(low, high)]);
    if (low != high) out.push_back(points[std::max(low, high)]);
  }
  out.push_back(points.back());
  return out;
}

/// The series' own colour, or the palette's colour for its position in the panel.
std::string series_color(const Series& series, std::size_t index) {
  return series.color.empty() ? kPalette[index % kPalette.size()] : series.color;
}

/// Markers for each point (evaluations, or a line of a single point).
std::string draw_markers(const std::vector<Point>& pixels, const std::string& color) {
  std::string body;
  for (const Point& p : pixels) body += circle(p, 3.2, {});
  return group(body, {{"fill", color}, {"stroke", "#ffffff"}, {"stroke-width", "1"}});
}

std::string draw_series(const PlotBox& box, const Series& series, const std::string& color) {
  std::vector<Point> pixels;
  for (const Point& p : finite_points(series)) pixels.push_back(box.map(p.x, p.y));
  if (pixels.empty()) return {};
  if (series.points || pixels.size() == 1) return draw_markers(pixels, color);
  return polyline(thin_line(pixels, kMaxLinePoints),
                  {{"stroke", color}, {"stroke-width", "1.6"}, {"stroke-linejoin", "round"},
                   {"stroke-linecap", "round"}});
}

/// Horizontal and vertical grid lines at the ticks, the y tick labels, and the axis lines.
std::string draw_grid(const PlotBox& box) {
  std::string grid;
  for (const double x : ticks(box.x)) {
    const double px = box.map(x, box.y.lo).x;
    grid += line({px, box.top}, {px, box.top + box.height}, {});
  }
  const std::vector<double> y_ticks = ticks(box.y);
  std::string labels;
  const std::vector<std::string> names = tick_labels(y_ticks, box.y.step, 1e4);
  for (std::size_t i = 0; i < y_ticks.size(); ++i) {
    const double py = box.map(box.x.lo, y_ticks[i]).y;
    grid += line({box.left, py}, {box.left + box.width, py}, {});
    labels += text({box.left - 6.0, py + 4.0}, names[i], {});
  }
  const double bottom = box.top + box.height;
  const std::vector<Point> axes = {
      {box.left, box.top}, {box.left, bottom}, {box.left + box.width, bottom}};
  return group(grid, {{"stroke", kGrid}, {"stroke-width", "1"}}) +
         group(labels, {{"font-size", "11"}, {"fill", kMutedInk}, {"text-anchor", "end"}}) +
         path(path_data(axes, false),
              {{"class", "axes"}, {"fill", "none"}, {"stroke", kAxis}, {"stroke-width", "1"}});
}

/// x tick labels under a plot box, and the x label under them.
std::string draw_x_axis(const PlotBox& box, const std::string& x_label) {
  const std::vector<double> x_ticks = ticks(box.x);
  const std::vector<std::string> names = tick_labels(x_ticks, box.x.step, 1e3);
  const double bottom = box.top + box.height;
  std::string labels;
  for (std::size_t i = 0; i < x_ticks.size(); ++i) {
    labels += text({box.map(x_ticks[i], box.y.lo).x, bottom + 16.0}, names[i], {});
  }
  return group(labels, {{"font-size", "11"}, {"fill", kMutedInk}, {"text-anchor", "middle"}}) +
         text({box.left + box.width / 2.0, bottom + 38.0}, x_label,
              {{"font-size", "12"}, {"fill", kInk}, {"text-anchor", "middle"}});
}

/// Width (px) of the legend draw_legend draws.
double legend_width(const Panel& panel) {
  double width = 0.0;
  for (const Series& series : panel.series) {
    if (!series.name.empty()) width += kCharWidth * static_cast<double>(series.name.size()) + 36.0;
  }
  return width;
}

/// Whether the panel's legend goes on a row of its own under the title: it would run into the
/// title on a plot `width` px wide (long labels, e.g. run folders in `compare`).
bool legend_below_title(const Panel& panel, double width) {
  return kTitleCharWidth * static_cast<double>(panel.title.size()) + 16.0 + legend_width(panel) > width;
}

/// Legend entries right-aligned in the row above the plot: a line or a dot, then the name.
std::string draw_legend(const PlotBox& box, const Panel& panel) {
  std::string body;
  double right = box.left + box.width;
  const double baseline = box.top - 9.0;
  for (std::size_t i = panel.series.size(); i-- > 0;) {
    const Series& series = panel.series[i];
    if (series.name.empty()) continue;
    const std::string color = series_color(series, i);
    const double text_left = right - kCharWidth * static_cast<double>(series.name.size());
    body += text({text_left, baseline}, series.name, {});
    const double key_y = baseline - 4.0;
    if (series.points) {
      body += circle({text_left - 10.0, key_y}, 3.2, {{"fill", color}});
    } else {
      body += line({text_left - 22.0, key_y}, {text_left - 4.0, key_y},
                   {{"stroke", color}, {"stroke-width", "2"}});
    }
    right = text_left - 36.0;
  }
  if (body.empty()) return {};
  return group(body, {{"font-size", "11"}, {"fill", kInk}});
}

std::string draw_panel(const PlotBox& box, const Panel& panel, std::size_t index) {
  const double title_row = legend_below_title(panel, box.width) ? kLegendRowHeight : 0.0;
  std::string out = text({box.left, box.top - 9.0 - title_row}, panel.title,
                         {{"font-size", "13"}, {"font-weight", "bold"}, {"fill", kInk}});
  out += draw_legend(box, panel);
  out += draw_grid(box);
  const Point y_label_at{18.0, box.top + box.height / 2.0};
  out += text(y_label_at, panel.y_label,
              {{"font-size", "11"}, {"fill", kInk}, {"text-anchor", "middle"},
               {"transform", "rotate(-90 " + format_number(y_label_at.x) + ' ' +
                                 format_number(y_label_at.y) + ')'}});

  const std::string clip_id = "plot-" + std::to_string(index);
  std::string curves;
  for (std::size_t i = 0; i < panel.series.size(); ++i) {
    curves += draw_series(box, panel.series[i], series_color(panel.series[i], i));
  }
  if (curves.empty()) {
    out += text({box.left + box.width / 2.0, box.top + box.height / 2.0 + 4.0}, "no data",
                {{"fill", "#999999"}, {"text-anchor", "middle"}});
    return out;
  }
  out += clip_path(clip_id, rect(box.left - kClipPad, box.top - kClipPad,
                                 box.width + 2.0 * kClipPad, box.height + 2.0 * kClipPad, {}));
  out += group(curves, {{"clip-path", "url(#" + clip_id + ")"}});
  return out;
}

}  // namespace

std::string learning_curve_svg(const std::string& title, const std::string& x_label,
                               const std::vector<Panel>& panels) {
  // One x axis for every panel, over every finite point of every series.
  Extent x_extent;
  for (const Panel& panel : panels) {
    for (const Series& series : panel.series) {
      for (const Point& p : finite_points(series)) x_extent.add(p.x);
    }
  }
  const Axis x_axis = make_axis(x_extent, std::nullopt, std::nullopt);

  std::string body = text({kMarginLeft, 26.0}, title,
                          {{"font-size", "16"}, {"font-weight", "bold"}, {"fill", kInk}});
  double top = kTitleHeight;
  PlotBox box;
  for (std::size_t i = 0; i < panels.size(); ++i) {
    Extent y_extent;
    for (const Series& series : panels[i].series) {
      for (const Point& p : finite_points(series)) y_extent.add(p.y);
    }
    const double plot_width = kWidth - kMarginLeft - kMarginRight;
    const double legend_row = legend_below_title(panels[i], plot_width) ? kLegendRowHeight : 0.0;
    box = PlotBox{kMarginLeft, top + kPanelTitleHeight + legend_row, plot_width,
                  kPlotHeight, x_axis, make_axis(y_extent, panels[i].y_min, panels[i].y_max)};
    body += draw_panel(box, panels[i], i);
    top = box.top + box.height + kPanelGap;
  }
  if (panels.empty()) {
    body += text({kWidth / 2.0, top + 20.0}, "no data",
                 {{"fill", "#999999"}, {"text-anchor", "middle"}});
    return document(kWidth, top + 40.0, body);
  }
  body += draw_x_axis(box, x_label);
  return document(kWidth, box.top + box.height + kBottomHeight, body);
}

}  // namespace report
