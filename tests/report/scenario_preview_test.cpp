// Scenario preview: a well-formed figure that shows the scenario's name, numbers every obstacle
// as the file does, marks where cars start, and puts the road where the track is.
#include "report/scenario_preview.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include <cmath>
#include "sim/scenario_loader.h"
#include "support/xml_reader.h"

namespace report {
namespace {

using testing::find_all;
using testing::read_svg_or_fail;
using testing::texts;

TEST(ScenarioPreviewTest, ShowsNameObstaclesSpawnAndDistances) {
  const sim::LoadedScenario s = sim::load_scenario(std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/default.toml");
  ASSERT_TRUE(s.ok());
  const testing::XmlElement root = read_svg_or_fail(scenario_preview_svg(*s.scenario, *s.track));
  const std::vector<std::string> labels = texts(root);
  const auto has = [&](const std::string& t) { return std::find(labels.begin(), labels.end(), t) != labels.end(); };
  EXPECT_TRUE(has("Crashcourse circuit"));
  for (const char* id : {"#0", "#1", "#2", "#3"}) EXPECT_TRUE(has(id)) << id;
  EXPECT_FALSE(has("#4")) << "the default scenario has four obstacles";
  EXPECT_TRUE(has("100 m") && has("400 m")) << "arc-length marks";
  EXPECT_FALSE(has("500 m")) << "the lap is 477 m";
  EXPECT_TRUE(has("where cars start"));
  const std::vector<const testing::XmlElement*> paths = find_all(root, "path");
  const bool spawn_band = std::any_of(paths.begin(), paths.end(),
                                      [](const testing::XmlElement* p) { return p->attribute("fill") == "#2ca02c"; });
  EXPECT_TRUE(spawn_band);
}

// A description longer than the figure is wide is wrapped onto lines that fit, every word kept,
// and the track moves down under them.
TEST(ScenarioPreviewTest, LongDescriptionsWrapWithinTheFigure) {
  const sim::LoadedScenario s = sim::load_scenario(std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/multi_agent.toml");
  ASSERT_TRUE(s.ok());
  sim::Scenario sc = *s.scenario;
  const std::string short_svg = scenario_preview_svg(sc, *s.track);
  std::string words;
  for (int k = 0; k < 60; ++k) words += " word" + std::to_string(k);
  sc.description = s.scenario->description + words;
  const testing::XmlElement root = read_svg_or_fail(scenario_preview_svg(sc, *s.track));
  const double width = root.number("width");
  std::string subtitle;
  int subtitle_lines = 0;
  for (const testing::XmlElement* t : find_all(root, "text")) {
    if (t->attribute("font-size") != "12") continue;
    // At most 6.6 px per character of 12 px sans-serif, from the left margin.
    EXPECT_LE(t->number("x") + 6.6 * static_cast<double>(t->text.size()), width - 20.0 + 1e-9) << t->text;
    subtitle += t->text + " ";
    ++subtitle_lines;
  }
  EXPECT_GE(subtitle_lines, 4);
  for (int k = 0; k < 60; ++k) EXPECT_NE(subtitle.find(" word" + std::to_string(k) + " "), std::string::npos) << k;
  EXPECT_NE(subtitle.find("419 m lap"), std::string::npos);
  EXPECT_GT(preview_frame(sc, *s.track).origin.y, preview_frame(*s.scenario, *s.track).origin.y);
  EXPECT_GT(root.number("height"), read_svg_or_fail(short_svg).number("height"));
}

TEST(ScenarioPreviewTest, ObstacleLabelsSitBesideTheirObstacles) {
  const sim::LoadedScenario s = sim::load_scenario(std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/default.toml");
  ASSERT_TRUE(s.ok());
  const testing::XmlElement root = read_svg_or_fail(scenario_preview_svg(*s.scenario, *s.track));
  // The label "#k" is within 20 px of obstacle k's position mapped with the figure's own frame.
  const PanelFrame frame = preview_frame(*s.scenario, *s.track);
  for (const testing::XmlElement* t : find_all(root, "text")) {
    if (t->text.size() < 2 || t->text[0] != '#') continue;
    const std::size_t k = std::stoul(t->text.substr(1));
    ASSERT_LT(k, s.track->obstacles.size());
    const Point at = to_svg(frame, s.track->obstacles[k].position);
    EXPECT_LT(std::hypot(t->number("x") - at.x, t->number("y") - at.y), 20.0) << t->text;
  }
}

TEST(ScenarioPreviewTest, DrawsTrafficRoutesMoverPathsCheckpointsAndTheTarget) {
  const sim::LoadedScenario s = sim::load_scenario(std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/crossing.toml");
  ASSERT_TRUE(s.ok());
  const testing::XmlElement root = read_svg_or_fail(scenario_preview_svg(*s.scenario, *s.track));
  const auto count = [&](const char* element, const char* key, const char* value) {
    const std::vector<const testing::XmlElement*> all = find_all(root, element);
    return std::count_if(all.begin(), all.end(), [&](const testing::XmlElement* e) { return e->attribute(key) == value; });
  };
  EXPECT_EQ(count("path", "stroke-dasharray", "6 4"), 1) << "one traffic route";
  EXPECT_EQ(count("path", "stroke-dasharray", "2 3"), 1) << "one mover path";
  EXPECT_EQ(count("line", "stroke", "#1f77b4"), 2) << "two checkpoints";
  EXPECT_EQ(count("circle", "stroke", "#d62728"), 1) << "the target";
  // The target ring is where the target is, as big as its radius.
  const PanelFrame frame = preview_frame(*s.scenario, *s.track);
  for (const testing::XmlElement* c : find_all(root, "circle")) {
    if (c->attribute("stroke") != "#d62728") continue;
    const Point at = to_svg(frame, s.scenario->episode.target);
    EXPECT_NEAR(c->number("cx"), at.x, 0.5);
    EXPECT_NEAR(c->number("cy"), at.y, 0.5);
    EXPECT_NEAR(c->number("r"), 4.0 * frame.scale, 0.5);
  }
}

}  // namespace
}  // namespace report
