// HeatmapGrid: crashes counted in the cell they land in; heat on a square-root scale.
#include "view/heatmap.h"

#include <gtest/gtest.h>

#include <cmath>

namespace view {
namespace {

b2AABB box(float x0, float y0, float x1, float y1) {
  b2AABB b;
  b.lowerBound.Set(x0, y0);
  b.upperBound.Set(x1, y1);
  return b;
}

TEST(HeatmapTest, ACrashIsCountedInTheCellItLandsIn) {
  HeatmapGrid grid(box(0.0f, 0.0f, 100.0f, 50.0f), 2.0f);
  grid.add({10.5f, 20.5f});
  grid.add({11.9f, 21.9f});
  int column = 0, row = 0;
  ASSERT_TRUE(grid.cell_of({11.0f, 21.0f}, column, row));
  EXPECT_EQ(grid.count(column, row), 2);
  EXPECT_EQ(grid.max_count(), 2);
  EXPECT_EQ(grid.total(), 2);
  // The cell's corner is where the grid says it is.
  EXPECT_FLOAT_EQ(grid.origin().x + static_cast<float>(column) * grid.cell_size(), 10.0f);
  EXPECT_FLOAT_EQ(grid.origin().y + static_cast<float>(row) * grid.cell_size(), 20.0f);
}

TEST(HeatmapTest, TheGridCoversTheBoundsWithASpareCellAround) {
  HeatmapGrid grid(box(-10.0f, -5.0f, 30.0f, 15.0f), 2.0f);
  EXPECT_EQ(grid.columns(), 22);
  EXPECT_EQ(grid.rows(), 12);
  for (const b2Vec2 p : {b2Vec2(-11.5f, -6.5f), b2Vec2(31.5f, 16.5f)}) {
    int column = 0, row = 0;
    EXPECT_TRUE(grid.cell_of(p, column, row)) << p.x << ", " << p.y;
  }
}

TEST(HeatmapTest, PointsOutsideOrNotFiniteAreIgnored) {
  HeatmapGrid grid(box(0.0f, 0.0f, 10.0f, 10.0f), 1.0f);
  const std::uint64_t version = grid.version();
  grid.add({-50.0f, 5.0f});
  grid.add({5.0f, 500.0f});
  grid.add({std::nanf(""), 5.0f});
  grid.add({5.0f, INFINITY});
  EXPECT_EQ(grid.total(), 0);
  EXPECT_EQ(grid.version(), version);
}

TEST(HeatmapTest, EveryChangeBumpsTheVersion) {
  HeatmapGrid grid(box(0.0f, 0.0f, 10.0f, 10.0f), 1.0f);
  const std::uint64_t v0 = grid.version();
  grid.add({1.0f, 1.0f});
  EXPECT_GT(grid.version(), v0);
  const std::uint64_t v1 = grid.version();
  grid.clear();
  EXPECT_GT(grid.version(), v1);
  EXPECT_EQ(grid.total(), 0);
  EXPECT_EQ(grid.max_count(), 0);
}

TEST(HeatmapTest, HeatIsASquareRootScaleFromZeroToOne) {
  EXPECT_EQ(heat(0, 10), 0.0f);
  EXPECT_EQ(heat(5, 0), 0.0f);
  EXPECT_FLOAT_EQ(heat(100, 100), 1.0f);
  EXPECT_FLOAT_EQ(heat(25, 100), 0.5f);
  EXPECT_GT(heat(1, 100), 0.09f);  // one crash still shows next to a hundred
  for (int c = 1; c < 100; ++c) EXPECT_LT(heat(c, 100), heat(c + 1, 100));
}

}  // namespace
}  // namespace view
