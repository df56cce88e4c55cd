// The edited scenario (see editor_model.h).
#include "editor/editor_model.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "editor/save_file.h"

namespace editor {

const char* const kNewScenario =
    "# A new crashcourse scenario (scenarios/README.md lists every key).\n"
    "[track]\n"
    "width = 12.0\n"
    "points = [[0, 0], [40, 0], [65, 10], [70, 30], [50, 45], [10, 45], [-15, 35], [-20, 15]]\n";

std::optional<EditorModel> EditorModel::open(const std::string& path, std::vector<sim::Diagnostic>& errors) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  std::string text = kNewScenario;
  if (exists) {
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path, ec)) {
      errors.push_back({path, {}, "", std::string("cannot read the scenario file: ") +
                                          (in ? "it is a folder" : std::strerror(errno)),
                        "check the path and its permissions"});
      return std::nullopt;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  std::optional<Document> doc = read_document(text, path, errors);
  if (!doc) return std::nullopt;
  return EditorModel(path, std::move(*doc), !exists);
}

EditorModel::EditorModel(std::string path, Document doc, bool is_new)
    : path_(std::move(path)), doc_(std::move(doc)), is_new_(is_new) {
  changed();
  saved_text_ = text_;
}

void EditorModel::changed() {
  ++revision_;
  text_ = write_document(doc_);
  validation_ = validate(doc_, path_);
}

bool EditorModel::apply(const std::function<bool(Document&)>& edit) {
  Document before = doc_;
  if (!edit(doc_)) return false;
  history_.record(before);
  changed();
  return true;
}

void EditorModel::begin_gesture() {
  gesture_start_ = doc_;
  gesture_recorded_ = false;
}

bool EditorModel::apply_in_gesture(const std::function<bool(Document&)>& edit) {
  if (!gesture_start_) return apply(edit);
  if (!edit(doc_)) return false;
  if (!gesture_recorded_) {
    history_.record(*gesture_start_);
    gesture_recorded_ = true;  // the rest of the gesture joins this step
  }
  changed();
  return true;
}

void EditorModel::end_gesture() { gesture_start_.reset(); }

bool EditorModel::undo() {
  if (!history_.undo(doc_)) return false;
  changed();
  return true;
}

bool EditorModel::redo() {
  if (!history_.redo(doc_)) return false;
  changed();
  return true;
}

std::string EditorModel::save() {
  std::string error = save_with_backup(path_, text_);
  if (!error.empty()) return error;
  saved_text_ = text_;
  is_new_ = false;
  return "";
}

}  // namespace editor
