// History: undo and redo by snapshots, bounded.
#include "editor/history.h"

#include <gtest/gtest.h>

#include "editor/edits.h"
#include "editor_test_support.h"

namespace editor {
namespace {

using testing::read_or_fail;

TEST(HistoryTest, UndoAndRedoWalkBackAndForthAndANewEditDropsTheRedoSteps) {
  Document doc = read_or_fail("[track]\nwidth = 10\npoints = [[0, 0], [60, 0], [60, 60], [0, 60]]\n");
  History history;
  for (const float w : {11.0f, 12.0f, 13.0f}) {
    history.record(doc);
    set_track_width(doc, w);
  }
  EXPECT_TRUE(history.undo(doc));
  EXPECT_TRUE(history.undo(doc));
  EXPECT_EQ(track_width(doc), 11.0f);
  EXPECT_TRUE(history.redo(doc));
  EXPECT_EQ(track_width(doc), 12.0f);
  EXPECT_TRUE(history.undo(doc));
  EXPECT_TRUE(history.undo(doc));
  EXPECT_EQ(track_width(doc), 10.0f);
  EXPECT_FALSE(history.undo(doc));
  EXPECT_EQ(track_width(doc), 10.0f);
  EXPECT_EQ(history.redo_steps(), 3u);

  history.record(doc);
  set_track_width(doc, 20.0f);
  EXPECT_EQ(history.redo_steps(), 0u);
  EXPECT_FALSE(history.redo(doc));
  EXPECT_TRUE(history.undo(doc));
  EXPECT_EQ(track_width(doc), 10.0f);
}

TEST(HistoryTest, KeepsOnlyTheLastDepthSteps) {
  Document doc = read_or_fail("[track]\nwidth = 1\npoints = [[0, 0], [60, 0], [60, 60], [0, 60]]\n");
  History history(3);
  for (int w = 2; w <= 6; ++w) {
    history.record(doc);
    set_track_width(doc, static_cast<float>(w));
  }
  EXPECT_EQ(history.undo_steps(), 3u);
  while (history.undo(doc)) {
  }
  EXPECT_EQ(track_width(doc), 3.0f);  // widths 1 and 2 fell off the end
}

}  // namespace
}  // namespace editor
