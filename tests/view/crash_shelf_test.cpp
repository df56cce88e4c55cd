// CrashShelf: the recorded crash nearest to a point, the latest among equals, a bounded shelf.
#include "view/crash_shelf.h"

#include <gtest/gtest.h>

namespace view {
namespace {

sim::EpisodeFile crash_at(float x, float y, std::int64_t step) {
  sim::EpisodeFile f;
  f.crash = sim::CrashInfo{};
  f.crash->x = x;
  f.crash->y = y;
  f.crash->global_step = step;
  return f;
}

TEST(CrashShelfTest, FindsTheNearestRecordedCrashWithinTheRadius) {
  CrashShelf shelf;
  shelf.add(crash_at(0.0f, 0.0f, 1), "a");
  shelf.add(crash_at(10.0f, 0.0f, 2), "b");
  shelf.add(sim::EpisodeFile{}, "not a crash recording");
  EXPECT_EQ(shelf.size(), 2u);
  ASSERT_NE(shelf.nearest({8.0f, 1.0f}, 4.0f), nullptr);
  EXPECT_EQ(shelf.nearest({8.0f, 1.0f}, 4.0f)->label, "b");
  EXPECT_EQ(shelf.nearest({1.0f, -1.0f}, 4.0f)->label, "a");
  EXPECT_EQ(shelf.nearest({5.0f, 0.0f}, 4.0f), nullptr) << "5 m from both";
  EXPECT_EQ(shelf.nearest({5.0f, 0.0f}, 5.0f)->label, "b") << "equally near: the latest";
}

TEST(CrashShelfTest, KeepsTheLatestCrashesWhenFull) {
  CrashShelf shelf(2);
  shelf.add(crash_at(0.0f, 0.0f, 1), "first");
  shelf.add(crash_at(20.0f, 0.0f, 2), "second");
  shelf.add(crash_at(40.0f, 0.0f, 3), "third");
  EXPECT_EQ(shelf.size(), 2u);
  EXPECT_EQ(shelf.nearest({0.0f, 0.0f}, 1.0f), nullptr);
  EXPECT_EQ(shelf.nearest({40.0f, 0.0f}, 1.0f)->label, "third");
}

}  // namespace
}  // namespace view
