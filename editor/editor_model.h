// EditorModel: the scenario being edited in `crashcourse edit`, with no window — the Document,
// its undo history, the live validation of every state, and the file it came from and is saved
// to. The window (view/editor_mode.h) turns mouse and keys into calls of apply() with the edits
// of edits.h; tests make the same calls.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "editor/document.h"
#include "editor/history.h"
#include "editor/validation.h"
#include "sim/diagnostics.h"

namespace editor {

/// What a new file starts as: a small oval, 12 m wide, about 190 m round.
extern const char* const kNewScenario;

class EditorModel {
 public:
  /// The file at path, or kNewScenario when there is no file there yet (it is created by the
  /// first save). A file that cannot be read or is not valid TOML gives nothing, with the reason
  /// in `errors` (file:line:col). A file whose values or geometry the loader rejects opens: the
  /// problems are listed and can be fixed here.
  static std::optional<EditorModel> open(const std::string& path, std::vector<sim::Diagnostic>& errors);

  EditorModel(std::string path, Document doc, bool is_new);

  const std::string& path() const { return path_; }
  const Document& document() const { return doc_; }
  const Validation& validation() const { return validation_; }
  /// The text a save would write.
  const std::string& text() const { return text_; }
  /// Whether the document differs from the file as opened or last saved.
  bool dirty() const { return text_ != saved_text_; }
  /// Whether there is no file yet.
  bool is_new() const { return is_new_; }
  /// Counts changes of the document (edits, undo, redo): what is drawn is rebuilt when it moves.
  int revision() const { return revision_; }

  /// One undoable edit: `edit` changes the document and returns whether it did.
  bool apply(const std::function<bool(Document&)>& edit);

  /// A gesture (a drag): every apply_in_gesture between begin and end undoes as one step, and
  /// a gesture that changed nothing leaves no step.
  void begin_gesture();
  bool apply_in_gesture(const std::function<bool(Document&)>& edit);
  void end_gesture();

  bool undo();
  bool redo();
  const History& history() const { return history_; }

  /// Saves to path() (save_file.h: atomic, previous version kept as .bak). A scenario with
  /// problems is saved too — the file is the user's, and half-finished work must not be lost —
  /// and the window says how many problems it has. Returns "" or what failed.
  std::string save();

 private:
  void changed();

  std::string path_;
  Document doc_;
  bool is_new_ = false;
  History history_;
  std::optional<Document> gesture_start_;  ///< the document when the gesture began
  bool gesture_recorded_ = false;          ///< its undo step is recorded
  Validation validation_;
  std::string text_;
  std::string saved_text_;
  int revision_ = 0;
};

}  // namespace editor
