#include "sim/diagnostics.h"

#include <gtest/gtest.h>

namespace sim {
namespace {

TEST(DiagnosticsTest, FormatsFileLineColumnKeyMessageAndHint) {
  Diagnostic d{"tracks/a.toml", {12, 7}, "car.mas", "unknown key", "did you mean 'mass'?"};
  EXPECT_EQ(format_diagnostic(d), "tracks/a.toml:12:7: car.mas: unknown key (hint: did you mean 'mass'?)");
}

TEST(DiagnosticsTest, OmitsUnknownPartsInsteadOfPrintingZeros) {
  Diagnostic d{"a.toml", {}, "", "cannot open file", ""};
  EXPECT_EQ(format_diagnostic(d), "a.toml: cannot open file");
}

TEST(DiagnosticsTest, SourceMapFallsBackToNearestParent) {
  SourceMap map;
  map.add("track", {3, 1});
  map.add("track.points[2]", {5, 14});
  EXPECT_EQ(map.locate("track.points[2]").column, 14);
  EXPECT_EQ(map.locate("track.points[2].x").line, 5);
  EXPECT_EQ(map.locate("track.width").line, 3);
  EXPECT_EQ(map.locate("car.mass").line, 0);
}

}  // namespace
}  // namespace sim
