// Document: reading and writing scenario files without losing keys, values or comments.
#include "editor/document.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "editor_test_support.h"
#include "sim/scenario_loader.h"

namespace editor {
namespace {

using testing::file_text;
using testing::kWithTraffic;
using testing::read_or_fail;

TEST(DocumentTest, TheLibraryRoundTripsWithEveryValueAndLoadsTheSame) {
  for (const char* name : {"default.toml", "oval.toml", "slalom.toml"}) {
    const std::string path = std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/" + name;
    const std::string original = file_text(path);
    const Document doc = read_or_fail(original);
    const std::string written = write_document(doc);
    const Document again = read_or_fail(written);
    EXPECT_EQ(again.root, doc.root) << name;
    EXPECT_EQ(write_document(again), written) << name;  // a fixed point after one save

    const sim::LoadedScenario a = sim::load_scenario_text(original, path);
    const sim::LoadedScenario b = sim::load_scenario_text(written, path);
    ASSERT_TRUE(b.ok()) << sim::format_diagnostics(b.diagnostics) << written;
    EXPECT_EQ(b.scenario->name, a.scenario->name);
    EXPECT_EQ(b.track->length, a.track->length);
    EXPECT_EQ(b.scenario->track.widths, a.scenario->track.widths);
    ASSERT_EQ(b.track->obstacles.size(), a.track->obstacles.size());
    for (std::size_t k = 0; k < a.track->obstacles.size(); ++k) {
      EXPECT_EQ(b.track->obstacles[k].position, a.track->obstacles[k].position);
    }
    EXPECT_EQ(b.scenario->spawn.s_jitter, a.scenario->spawn.s_jitter);
    EXPECT_EQ(b.scenario->episode.max_steps, a.scenario->episode.max_steps);
  }
}

TEST(DocumentTest, KeepsTrafficAndSectionsItDoesNotKnow) {
  const Document doc = read_or_fail(kWithTraffic);
  const std::string written = write_document(doc);
  const Document again = read_or_fail(written);
  EXPECT_EQ(again.root, doc.root);
  const toml::table& loop = *again.root["traffic"][0].as_table();
  const toml::table& route = *again.root["traffic"][1].as_table();
  EXPECT_EQ(loop["waypoints"].as_array()->size(), 4u);
  EXPECT_EQ(loop["start"].value<std::int64_t>(), 20);
  EXPECT_EQ(route["offset"].value<double>(), 1.5);
  EXPECT_EQ(route["speed_profile"][0][1].value<double>(), 8.5);
  EXPECT_NE(written.find("[[traffic]]\nwaypoints = [[0, 2], [80, 2], [80, 48], [0, 48]]\nspeed = 12.0\nstart = 20\n\n"
                         "[[traffic]]\noffset = 1.5\nspeed_profile = [[0, 8.5], [100, 14]]\nstart = 60\n"),
            std::string::npos) << written;
  EXPECT_NE(written.find("[future]\nflag = true\nnested = { a = 1, b = \"two\" }\nwhen = 1979-05-27\n"),
            std::string::npos) << written;
}

TEST(DocumentTest, KeepsCommentsAboveHeadersAndKeysAndAtTheEndOfLines) {
  const Document doc = read_or_fail(file_text(std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/default.toml"));
  const std::string written = write_document(doc);
  EXPECT_TRUE(written.starts_with("# The default crashcourse circuit: ~480 m, a fast left sweeper, a right-left chicane, a 10 m\n"))
      << written;
  EXPECT_NE(written.find("# A crate on the outside line into turn 1, where the fast line wants to be.\n[[obstacles]]\n"
                         "shape = \"box\"\ns = 75\n"),
            std::string::npos) << written;
  EXPECT_NE(written.find("# A stalled car on the inside of the loop home, angled into the road.\n[[obstacles]]\n"),
            std::string::npos) << written;
  EXPECT_NE(written.find("s_jitter = 230  # anywhere on the lap\n"), std::string::npos) << written;
}

TEST(DocumentTest, WritesPointsFourToALineAndKnownKeysInTheDocumentedOrder) {
  const Document doc = read_or_fail(
      "[spawn]\nspeed = 3\ns = 10\n[track]\npoints = [[0, 0], [10, 0], [20, 0], [30, 5, 8.0], [30, 20], [0, 20]]\n"
      "width = 9.0\n");
  EXPECT_EQ(write_document(doc),
            "[track]\n"
            "width = 9.0\n"
            "points = [\n"
            "  [0, 0], [10, 0], [20, 0], [30, 5, 8.0],\n"
            "  [30, 20], [0, 20],\n"
            "]\n"
            "\n"
            "[spawn]\n"
            "s = 10\n"
            "speed = 3\n");
}

TEST(DocumentTest, StringsAreEscaped) {
  const Document doc = read_or_fail("name = \"a \\\"quoted\\\" name\\\\ with\\ttab\"\n");
  const Document again = read_or_fail(write_document(doc));
  EXPECT_EQ(again.root["name"].value<std::string>(), "a \"quoted\" name\\ with\ttab");
}

TEST(DocumentTest, ASyntaxErrorIsReportedWithItsPosition) {
  std::vector<sim::Diagnostic> errors;
  EXPECT_FALSE(read_document("[track]\npoints = [[0, 0]\n", "bad.toml", errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "bad.toml");
  EXPECT_EQ(errors[0].where.line, 2);
}

}  // namespace
}  // namespace editor
