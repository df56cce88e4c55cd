// Crash heat maps: well-formed and small even for 100k crashes, the densest cell where the crashes
// were put (world → SVG, y flipped), the early/late split counted in the titles, one colour scale
// for both panels, obstacles where the track has them, and the empty and non-finite cases.
#include "report/crash_heatmap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "support/xml_reader.h"
#include "sim/scenario_loader.h"
#include "support/test_tracks.h"

namespace report {
namespace {

using testing::find_all;
using testing::read_svg_or_fail;
using testing::texts;
using testing::XmlElement;
using testing::XmlReader;

/// The 200 m × 80 m oval of test_tracks.h, 20 m wide: its first straight runs east along y = 0.
sim::LoadedScenario oval() {
  return sim::testing::load_or_fail(sim::testing::oval_toml(sim::testing::OvalOptions{}));
}

sim::LoadedScenario default_scenario() {
  sim::LoadedScenario loaded =
      sim::load_scenario(std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/default.toml");
  EXPECT_TRUE(loaded.ok()) << sim::format_diagnostics(loaded.diagnostics);
  return loaded;
}

/// The two panels' groups (translated into place), in order.
std::vector<const XmlElement*> panels(const XmlElement& root) {
  std::vector<const XmlElement*> out;
  for (const XmlElement* g : find_all(root, "g")) {
    if (g->attribute("transform").rfind("translate(", 0) == 0) out.push_back(g);
  }
  EXPECT_EQ(out.size(), 2u);
  return out;
}

/// A heat cell run: its rectangle in panel px and its level's top on the sqrt scale.
struct Cell {
  double x, y, w, h, level;
};

/// Every rectangle of the heat paths ("M x y h w v h h -w z" each) under `panel`.
std::vector<Cell> heat_cells(const XmlElement& panel) {
  std::vector<Cell> out;
  for (const XmlElement* p : find_all(panel, "path")) {
    if (p->attribute("data-density").empty()) continue;
    const std::string d = p->attribute("d");
    std::size_t at = 0;
    Cell c{};
    double back = 0.0;
    while ((at = d.find('M', at)) != std::string::npos) {
      EXPECT_EQ(std::sscanf(d.c_str() + at, "M%lf %lfh%lfv%lfh%lfz", &c.x, &c.y, &c.w, &c.h,
                            &back), 5);
      EXPECT_DOUBLE_EQ(back, -c.w);
      c.level = p->number("data-density");
      out.push_back(c);
      ++at;
    }
  }
  return out;
}

double max_level(const std::vector<Cell>& cells) {
  double m = 0.0;
  for (const Cell& c : cells) m = std::max(m, c.level);
  return m;
}

bool contains(const std::vector<std::string>& all, const std::string& s) {
  return std::find(all.begin(), all.end(), s) != all.end();
}

TEST(CrashHeatmapTest, DensestCellIsWhereTheCrashesWere) {
  const sim::LoadedScenario s = oval();
  const b2Vec2 hot{100.0f, 3.0f};  // on the first straight, 3 m left of the centreline
  std::vector<CrashMark> crashes(300, CrashMark{hot.x, hot.y, 10});
  for (int k = 0; k < 20; ++k) crashes.push_back({20.0f + 8.0f * k, -4.0f, 20});  // sparse
  const XmlElement root = read_svg_or_fail(crash_heatmap_svg(*s.track, crashes, 1000, "t"));

  const std::vector<const XmlElement*> groups = panels(root);
  ASSERT_EQ(groups.size(), 2u);
  const std::vector<Cell> cells = heat_cells(*groups[0]);
  ASSERT_FALSE(cells.empty());
  EXPECT_DOUBLE_EQ(max_level(cells), 1.0);
  // Panel px of the hot spot: the panel group's own origin is (0, 0).
  PanelFrame local = panel_frame(*s.track, 0);
  local.origin = {0.0, 0.0};
  const Point target = to_svg(local, hot);
  const double cell_px = kCellSize * local.scale;
  for (const Cell& c : cells) {
    if (c.level < 1.0) continue;
    EXPECT_LE(c.x - cell_px, target.x);
    EXPECT_GE(c.x + c.w + cell_px, target.x);
    EXPECT_LE(c.y - cell_px, target.y);
    EXPECT_GE(c.y + c.h + cell_px, target.y);
  }
  // The late panel has nothing to show.
  EXPECT_TRUE(heat_cells(*groups[1]).empty());
  EXPECT_TRUE(contains(texts(root), "late (steps ≥ 1k): no crashes"));
}

TEST(CrashHeatmapTest, WorldYUpBecomesSvgYDown) {
  const sim::LoadedScenario s = oval();
  const PanelFrame f = panel_frame(*s.track, 0);
  const Point low = to_svg(f, {50.0f, 0.0f});
  const Point high = to_svg(f, {50.0f, 10.0f});
  EXPECT_NEAR(high.x, low.x, 1e-9);
  EXPECT_NEAR(low.y - high.y, 10.0 * f.scale, 1e-6);  // 10 m up is 10 m of px towards the top
  const Point east = to_svg(f, {60.0f, 0.0f});
  EXPECT_NEAR(east.x - low.x, 10.0 * f.scale, 1e-6);
  // The late panel is the same drawing further right.
  const PanelFrame g = panel_frame(*s.track, 1);
  EXPECT_GT(to_svg(g, {50.0f, 0.0f}).x, low.x);
  EXPECT_DOUBLE_EQ(to_svg(g, {50.0f, 0.0f}).y, low.y);
}

TEST(CrashHeatmapTest, TitlesCountTheCrashesEachSideOfTheSplit) {
  const sim::LoadedScenario s = oval();
  std::vector<CrashMark> crashes;
  for (int k = 0; k < 3; ++k) crashes.push_back({100.0f, 0.0f, 4'999'999});
  crashes.push_back({100.0f, 0.0f, 5'000'000});  // at the split: late
  crashes.push_back({100.0f, 0.0f, 9'000'000});
  const XmlElement root = read_svg_or_fail(crash_heatmap_svg(*s.track, crashes, 5'000'000, "Crashes"));
  const std::vector<std::string> all = texts(root);
  EXPECT_TRUE(contains(all, "early (steps < 5M): 3 crashes"));
  EXPECT_TRUE(contains(all, "late (steps ≥ 5M): 2 crashes"));
  EXPECT_TRUE(contains(all, "Crashes"));
}

TEST(CrashHeatmapTest, CountsAreGroupedAndSingular) {
  const sim::LoadedScenario s = oval();
  std::vector<CrashMark> crashes(12345, CrashMark{100.0f, 0.0f, 1});
  crashes.push_back({100.0f, 0.0f, 2000});
  const std::vector<std::string> all =
      texts(read_svg_or_fail(crash_heatmap_svg(*s.track, crashes, 1500, "t")));
  EXPECT_TRUE(contains(all, "early (steps < 1.5k): 12,345 crashes"));
  EXPECT_TRUE(contains(all, "late (steps ≥ 1.5k): 1 crash"));
}

TEST(CrashHeatmapTest, BothPanelsShareOneColourScale) {
  // 400 crashes early at one spot, 64 late at another: the late peak is sqrt(64/400) = 0.4 on the
  // shared sqrt scale, so its top level is the one holding 0.4 (levels are 1/24 wide). The spots
  // are a whole number of cells apart, so the grid samples both peaks at the same offset.
  const sim::LoadedScenario s = oval();
  std::vector<CrashMark> crashes(400, CrashMark{60.0f, 0.0f, 1});
  crashes.insert(crashes.end(), 64, CrashMark{60.0f + 54 * kCellSize, 0.0f, 100});
  const XmlElement root = read_svg_or_fail(crash_heatmap_svg(*s.track, crashes, 50, "t"));
  const std::vector<const XmlElement*> groups = panels(root);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_DOUBLE_EQ(max_level(heat_cells(*groups[0])), 1.0);
  const double late_top = max_level(heat_cells(*groups[1]));
  EXPECT_GE(late_top, 0.4);
  EXPECT_LT(late_top, 0.4 + 1.0 / 24.0);
}

TEST(CrashHeatmapTest, NoCrashesSaysSoInBothPanels) {
  const sim::LoadedScenario s = oval();
  const XmlElement root = read_svg_or_fail(crash_heatmap_svg(*s.track, {}, 100, "t"));
  const std::vector<std::string> all = texts(root);
  EXPECT_TRUE(contains(all, "early (steps < 100): no crashes"));
  EXPECT_TRUE(contains(all, "late (steps ≥ 100): no crashes"));
  for (const XmlElement* g : panels(root)) EXPECT_TRUE(heat_cells(*g).empty());
}

TEST(CrashHeatmapTest, NonFiniteCrashPositionsAreLeftOut) {
  const sim::LoadedScenario s = oval();
  const float nan = std::nanf("");
  const std::vector<CrashMark> crashes = {{nan, 0.0f, 1}, {0.0f, INFINITY, 1}, {100.0f, 0.0f, 1}};
  const std::vector<std::string> all =
      texts(read_svg_or_fail(crash_heatmap_svg(*s.track, crashes, 100, "t")));
  EXPECT_TRUE(contains(all, "early (steps < 100): 1 crash"));
}

TEST(CrashHeatmapTest, TitleIsEscaped) {
  const sim::LoadedScenario s = oval();
  const std::string svg = crash_heatmap_svg(*s.track, {}, 100, "run <a> & \"b\"");
  EXPECT_TRUE(contains(texts(read_svg_or_fail(svg)), "run <a> & \"b\""));
  EXPECT_NE(svg.find("run &lt;a&gt; &amp; &quot;b&quot;"), std::string::npos);
}

TEST(CrashHeatmapTest, ObstaclesAreDrawnWhereTheTrackHasThem) {
  const sim::LoadedScenario s = default_scenario();
  const XmlElement root = read_svg_or_fail(crash_heatmap_svg(*s.track, {}, 100, "t"));
  PanelFrame local = panel_frame(*s.track, 0);
  local.origin = {0.0, 0.0};
  const std::vector<const XmlElement*> groups = panels(root);
  ASSERT_EQ(groups.size(), 2u);
  const std::vector<const XmlElement*> circles = find_all(*groups[0], "circle");
  int circle_obstacles = 0;
  for (const sim::Obstacle& o : s.track->obstacles) {
    if (o.shape != sim::ObstacleShape::Circle) continue;
    ++circle_obstacles;
    const Point at = to_svg(local, o.position);
    const bool drawn = std::any_of(circles.begin(), circles.end(), [&](const XmlElement* c) {
      return std::abs(c->number("cx") - at.x) < 0.01 && std::abs(c->number("cy") - at.y) < 0.01 &&
             std::abs(c->number("r") - o.radius * local.scale) < 0.01;
    });
    EXPECT_TRUE(drawn) << "obstacle at " << o.position.x << ", " << o.position.y;
  }
  EXPECT_EQ(circle_obstacles, 2);
  EXPECT_EQ(static_cast<int>(circles.size()), circle_obstacles);
}

TEST(CrashHeatmapTest, HundredThousandCrashesStayUnderOneMegabyte) {
  const sim::LoadedScenario s = default_scenario();
  const sim::Track& track = *s.track;
  std::vector<CrashMark> crashes;
  // Spread along the whole lap and across the road: the worst case for the number of cells.
  for (int k = 0; k < 100000; ++k) {
    const float along = track.length * static_cast<float>(k) / 100000.0f;
    const float across = 4.0f * std::sin(0.37f * static_cast<float>(k));
    const b2Vec2 p = sim::point_at(track, along, across);
    crashes.push_back({p.x, p.y, k * 100});
  }
  const std::string svg = crash_heatmap_svg(track, crashes, 5'000'000, "t");
  EXPECT_LT(svg.size(), 1'000'000u);
  const XmlElement root = read_svg_or_fail(svg);
  const std::vector<std::string> all = texts(root);
  EXPECT_TRUE(contains(all, "early (steps < 5M): 50,000 crashes"));
  EXPECT_TRUE(contains(all, "late (steps ≥ 5M): 50,000 crashes"));
}

}  // namespace
}  // namespace report
