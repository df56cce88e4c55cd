// History: the editor's undo and redo, as snapshots of the whole Document (a scenario file is a
// few kilobytes, so a copy per edit is cheaper to get right than a command per kind of edit).
// Bounded: the oldest snapshots go first.
#pragma once

#include <cstddef>
#include <deque>

#include "editor/document.h"

namespace editor {

class History {
 public:
  static constexpr std::size_t kDefaultDepth = 200;  ///< undo steps kept

  explicit History(std::size_t depth = kDefaultDepth) : depth_(depth) {}

  /// Records `before`, the document as it was before an edit; clears the redo steps.
  void record(const Document& before);
  /// Puts the last recorded document in `current` and keeps `current` for redo; false when there is none.
  bool undo(Document& current);
  /// Reverses the last undo; false when there is none.
  bool redo(Document& current);

  std::size_t undo_steps() const { return undo_.size(); }
  std::size_t redo_steps() const { return redo_.size(); }

 private:
  std::size_t depth_;
  std::deque<Document> undo_;
  std::deque<Document> redo_;
};

}  // namespace editor
