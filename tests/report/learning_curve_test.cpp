// Learning-curve figures: well-formed XML, series mapped linearly into the plot box read back from
// the document (its clip rectangle), non-finite points skipped, long lines thinned without losing
// their extremes, degenerate data (empty, one point, constant) drawn without NaN, and the text a
// reader needs (titles escaped, legend names, k/M step ticks).
#include "report/learning_curve.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "report/svg.h"
#include "support/xml_reader.h"

namespace report {
namespace {

using testing::find_all;
using testing::read_svg_or_fail;
using testing::texts;
using testing::XmlElement;
using testing::XmlReader;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

/// The plot box of panel `index`, from its axis lines: "M left top L left bottom L right bottom".
struct Box {
  double x, y, w, h;
};

Box plot_box(const XmlElement& root, std::size_t index) {
  std::vector<const XmlElement*> axes;
  for (const XmlElement* p : find_all(root, "path")) {
    if (p->attribute("class") == "axes") axes.push_back(p);
  }
  EXPECT_GT(axes.size(), index);
  if (axes.size() <= index) return {0, 0, 1, 1};
  double left = 0, top = 0, left_again = 0, bottom = 0, right = 0, bottom_again = 0;
  EXPECT_EQ(std::sscanf(axes[index]->attribute("d").c_str(), "M%lf %lfL%lf %lfL%lf %lf", &left,
                        &top, &left_again, &bottom, &right, &bottom_again), 6);
  return {left, top, right - left, bottom - top};
}

std::vector<Point> polyline_points(const XmlElement& polyline) {
  std::vector<Point> out;
  std::istringstream in(polyline.attribute("points"));
  std::string pair;
  while (in >> pair) {
    const std::size_t comma = pair.find(',');
    out.push_back({std::stod(pair.substr(0, comma)), std::stod(pair.substr(comma + 1))});
  }
  return out;
}

Series line_series(std::string name, std::vector<double> x, std::vector<double> y) {
  return Series{std::move(name), "", std::move(x), std::move(y), false};
}

std::vector<double> range(int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = i;
  return v;
}

bool contains(const std::vector<std::string>& all, const std::string& s) {
  return std::find(all.begin(), all.end(), s) != all.end();
}

TEST(LearningCurveTest, LinearSeriesMapsOntoThePlotBox) {
  // x and y both 0..10 on axes fixed (y) or rounded (x, step 2) to exactly [0, 10].
  Panel panel{"Return", "return", {line_series("train", range(11), range(11))}, 0.0, 10.0};
  const XmlElement root = read_svg_or_fail(learning_curve_svg("Run", "env steps", {panel}));
  const std::vector<const XmlElement*> lines = find_all(root, "polyline");
  ASSERT_EQ(lines.size(), 1u);
  const std::vector<Point> points = polyline_points(*lines[0]);
  ASSERT_EQ(points.size(), 11u);
  const Box box = plot_box(root, 0);
  for (int k = 0; k <= 10; ++k) {
    EXPECT_NEAR(points[k].x, box.x + box.w * k / 10.0, 0.01) << k;
    EXPECT_NEAR(points[k].y, box.y + box.h - box.h * k / 10.0, 0.01) << k;  // y up on the page
  }
}

TEST(LearningCurveTest, NonFinitePointsAreSkipped) {
  std::vector<double> y = range(10);
  y[3] = kNan;
  y[5] = kInf;
  std::vector<double> x = range(10);
  x[7] = -kInf;
  Panel panel{"Return", "return", {line_series("train", x, y)}, std::nullopt, std::nullopt};
  const XmlElement root = read_svg_or_fail(learning_curve_svg("Run", "env steps", {panel}));
  const std::vector<const XmlElement*> lines = find_all(root, "polyline");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(polyline_points(*lines[0]).size(), 7u);
}

TEST(LearningCurveTest, LegendNamesTheNamedSeriesAndTitlesAreEscaped) {
  Panel panel{"Crash <rate> & \"more\"", "crashes per episode",
              {line_series("training episodes", range(5), range(5)),
               Series{"evaluation", "#d62728", {1.0, 3.0}, {0.5, 0.7}, true},
               line_series("", range(5), range(5))},
              0.0, 1.0};
  const std::string svg = learning_curve_svg("Run <1> & \"co\"", "env steps", {panel});
  const XmlElement root = read_svg_or_fail(svg);
  const std::vector<std::string> all = texts(root);
  EXPECT_TRUE(contains(all, "Run <1> & \"co\""));
  EXPECT_TRUE(contains(all, "Crash <rate> & \"more\""));
  EXPECT_TRUE(contains(all, "training episodes"));
  EXPECT_TRUE(contains(all, "evaluation"));
  EXPECT_TRUE(contains(all, "crashes per episode"));
  EXPECT_TRUE(contains(all, "env steps"));
  EXPECT_NE(svg.find("Run &lt;1&gt; &amp; &quot;co&quot;"), std::string::npos);
}

// A legend that would run into the panel's title (long names, as compare's run folders) gets a
// row of its own under the title, above the plot; a short one shares the title's row.
TEST(LearningCurveTest, ALongLegendGoesUnderTheTitle) {
  const auto rows = [](const std::string& a, const std::string& b) {
    const Panel panel{"Episode return (training)", "return",
                      {line_series(a, range(5), range(5)), line_series(b, range(5), range(5))}, {}, {}};
    const XmlElement root = read_svg_or_fail(learning_curve_svg("t", "env steps", {panel}));
    double title_y = 0.0, legend_y = 0.0, legend_left = 1e9;
    for (const XmlElement* t : find_all(root, "text")) {
      if (t->text == "Episode return (training)") title_y = t->number("y");
      if (t->text == a || t->text == b) {
        legend_y = t->number("y");
        legend_left = std::min(legend_left, t->number("x"));
      }
    }
    return std::vector<double>{title_y, legend_y, legend_left, plot_box(root, 0).y};
  };
  const std::vector<double> short_legend = rows("seed 1", "seed 2");
  EXPECT_EQ(short_legend[0], short_legend[1]) << "one row";
  const std::vector<double> long_legend =
      rows("default-20261129-083641", "default-20261129-145835 (same as default-20261129-083641)");
  EXPECT_GT(long_legend[1], long_legend[0] + 10.0) << "the legend under the title";
  EXPECT_LT(long_legend[1], long_legend[3]) << "and above the plot";
  EXPECT_GT(long_legend[3], short_legend[3]) << "the plot moves down to make room";
  EXPECT_GT(long_legend[2], 76.0) << "the legend starts right of the plot's left edge";
}

TEST(LearningCurveTest, PointSeriesAreDrawnAsOneMarkerEach) {
  Panel panel{"Clean laps", "rate",
              {Series{"evaluation", "#d62728", {1e6, 2e6, 3e6}, {0.2, 0.5, 0.9}, true}}, 0.0, 1.0};
  const XmlElement root = read_svg_or_fail(learning_curve_svg("Run", "env steps", {panel}));
  EXPECT_TRUE(find_all(root, "polyline").empty());
  // Three data markers and one legend marker.
  EXPECT_EQ(find_all(root, "circle").size(), 4u);
}

TEST(LearningCurveTest, LongLinesAreThinnedKeepingTheirExtremes) {
  const int n = 100000;
  std::vector<double> x = range(n);
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i) y[i] = std::sin(i * 0.001);
  y[12345] = 5.0;   // a spike
  y[67890] = -5.0;  // a dip
  Panel panel{"Return", "return", {line_series("train", x, y)}, std::nullopt, std::nullopt};
  const XmlElement root = read_svg_or_fail(learning_curve_svg("Run", "env steps", {panel}));
  const std::vector<const XmlElement*> lines = find_all(root, "polyline");
  ASSERT_EQ(lines.size(), 1u);
  const std::vector<Point> points = polyline_points(*lines[0]);
  EXPECT_LE(points.size(), static_cast<std::size_t>(kMaxLinePoints));
  EXPECT_GT(points.size(), static_cast<std::size_t>(kMaxLinePoints) / 2);
  // The y axis [-5, 5] is rounded out to [-6, 6] (step 2); the spike and dip must be drawn.
  const Box box = plot_box(root, 0);
  double top = box.y + box.h, bottom = box.y;
  for (const Point& p : points) {
    top = std::min(top, p.y);
    bottom = std::max(bottom, p.y);
  }
  EXPECT_NEAR(top, box.y + box.h * (6.0 - 5.0) / 12.0, 0.01);
  EXPECT_NEAR(bottom, box.y + box.h * (6.0 + 5.0) / 12.0, 0.01);
  // First and last points are kept, and x never goes backwards.
  EXPECT_NEAR(points.front().x, box.x, 0.01);
  EXPECT_NEAR(points.back().x, box.x + box.w * (n - 1) / 100000.0, 0.01);
  for (std::size_t i = 1; i < points.size(); ++i) EXPECT_GE(points[i].x, points[i - 1].x);
}

TEST(LearningCurveTest, ConstantSeriesIsDrawnInsideTheBox) {
  Panel panel{"Return", "return", {line_series("train", range(20), std::vector<double>(20, 5.0))},
              std::nullopt, std::nullopt};
  const XmlElement root = read_svg_or_fail(learning_curve_svg("Run", "env steps", {panel}));
  const std::vector<const XmlElement*> lines = find_all(root, "polyline");
  ASSERT_EQ(lines.size(), 1u);
  const Box box = plot_box(root, 0);
  for (const Point& p : polyline_points(*lines[0])) {
    EXPECT_GT(p.y, box.y);
    EXPECT_LT(p.y, box.y + box.h);
  }
}

TEST(LearningCurveTest, SinglePointIsAMarkerAndEmptyPanelsSayNoData) {
  Panel one{"One", "y", {line_series("train", {1000.0}, {3.0})}, std::nullopt, std::nullopt};
  Panel empty{"Empty", "y", {line_series("train", {}, {}), line_series("undefined", {1.0}, {kNan})},
              std::nullopt, std::nullopt};
  Panel none{"None", "y", {}, std::nullopt, std::nullopt};
  const XmlElement root = read_svg_or_fail(learning_curve_svg("Run", "env steps", {one, empty, none}));
  EXPECT_TRUE(find_all(root, "polyline").empty());
  const std::vector<std::string> all = texts(root);
  EXPECT_EQ(std::count(all.begin(), all.end(), "no data"), 2);
  const std::vector<const XmlElement*> circles = find_all(root, "circle");
  ASSERT_FALSE(circles.empty());
  const Box box = plot_box(root, 0);
  EXPECT_GT(circles[0]->number("cx"), box.x);
  EXPECT_LT(circles[0]->number("cx"), box.x + box.w);
}

TEST(LearningCurveTest, NoPanelsIsStillADocument) {
  const XmlElement root = read_svg_or_fail(learning_curve_svg("Run", "env steps", {}));
  EXPECT_TRUE(contains(texts(root), "no data"));
}

TEST(LearningCurveTest, ExtremeValuesAndNonFiniteLimitsStillGiveADocument) {
  // x two ulps apart at 1e19 (tick multiples beyond 2^53), y spanning more than a double holds,
  // and limits that are not numbers: drawn as well as possible, and above all, returned.
  Panel far{"Far", "y", {line_series("a", {1e19, 1e19 + 4096.0}, {1.7e308, -1.7e308})}, kNan, kInf};
  Panel fine{"Fine", "y", {line_series("b", {1e19, 1e19 + 4096.0}, {0.0, 1.0})}, -kInf, kNan};
  const XmlElement root = read_svg_or_fail(learning_curve_svg("Run", "env steps", {far, fine}));
  EXPECT_EQ(find_all(root, "polyline").size(), 2u);
}

TEST(LearningCurveTest, StepTicksUseSiSuffixesAndPanelsShareTheXAxis) {
  Panel a{"A", "y", {line_series("a", {0.0, 10e6}, {0.0, 1.0})}, std::nullopt, std::nullopt};
  Panel b{"B", "y", {line_series("b", {2.5e6, 5e6}, {0.0, 1.0})}, std::nullopt, std::nullopt};
  const XmlElement root = read_svg_or_fail(learning_curve_svg("Run", "env steps", {a, b}));
  const std::vector<std::string> all = texts(root);
  for (const char* tick : {"0", "2M", "4M", "6M", "8M", "10M"}) {
    EXPECT_TRUE(contains(all, tick)) << tick;
  }
  EXPECT_FALSE(contains(all, "2000000"));
  // x = 5M lands at the same px in both panels: half way across the shared axis.
  const std::vector<const XmlElement*> lines = find_all(root, "polyline");
  ASSERT_EQ(lines.size(), 2u);
  const Box box = plot_box(root, 1);
  EXPECT_NEAR(polyline_points(*lines[1]).back().x, box.x + box.w / 2.0, 0.01);
  EXPECT_NEAR(polyline_points(*lines[0]).back().x, box.x + box.w, 0.01);
}

TEST(LearningCurveTest, SmallRangesGetDecimalTicks) {
  Panel panel{"Rate", "rate", {line_series("r", range(3), {0.0, 0.5, 1.0})}, 0.0, 1.0};
  const std::vector<std::string> all =
      texts(read_svg_or_fail(learning_curve_svg("Run", "env steps", {panel})));
  for (const char* tick : {"0", "0.2", "0.4", "0.6", "0.8", "1"}) {
    EXPECT_TRUE(contains(all, tick)) << tick;
  }
}

}  // namespace
}  // namespace report
