// Undo and redo by snapshots (see history.h).
#include "editor/history.h"

#include <utility>

namespace editor {

void History::record(const Document& before) {
  undo_.push_back(before);
  while (undo_.size() > depth_) undo_.pop_front();
  redo_.clear();
}

bool History::undo(Document& current) {
  if (undo_.empty()) return false;
  redo_.push_back(std::move(current));
  current = std::move(undo_.back());
  undo_.pop_back();
  return true;
}

bool History::redo(Document& current) {
  if (redo_.empty()) return false;
  undo_.push_back(std::move(current));
  current = std::move(redo_.back());
  redo_.pop_back();
  return true;
}

}  // namespace editor
