// Learning curves as an SVG figure: panels stacked on one shared x axis (env steps), each with its
// own y axis, 1-2-5 ticks, a light grid and a legend. Written headless for the run folder
// (learning_curve.svg); the train command fills the series from its per-iteration log and the
// evaluations.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace report {

/// One curve of a panel. Non-finite points are skipped; x need not be evenly spaced.
struct Series {
  std::string name;                 ///< legend entry; an unnamed series has none
  std::string color;                ///< any SVG colour ("#1f77b4"); empty: the next palette colour
  std::vector<double> x;            ///< env steps (same size as y; extra values are ignored)
  std::vector<double> y;            ///< in the panel's unit
  bool points = false;              ///< markers instead of a line (sparse data, e.g. evaluations)
};

/// One stacked plot. The y range covers the data (rounded out to ticks) unless fixed here; a
/// non-finite y_min or y_max counts as not given.
struct Panel {
  std::string title;                ///< above the plot, e.g. "Crash rate"
  std::string y_label;              ///< along the y axis, with unit, e.g. "crashes per episode"
  std::vector<Series> series;
  std::optional<double> y_min;      ///< fixes the bottom of the y axis (e.g. 0 for a rate)
  std::optional<double> y_max;      ///< fixes the top (e.g. 1 for a rate); data beyond is clipped
};

/// Lines of more points than this are thinned to it for drawing, keeping each bucket's extremes.
inline constexpr int kMaxLinePoints = 2000;

/// The figure as a complete SVG document: `title` on top, the panels stacked in order, `x_label`
/// under the shared x axis (tick labels with k/M suffixes). A panel without finite data says
/// "no data"; a constant series gets a y range around its value.
std::string learning_curve_svg(const std::string& title, const std::string& x_label,
                               const std::vector<Panel>& panels);

}  // namespace report
