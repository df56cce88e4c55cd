// What a frame of the scenario editor shows besides the track the renderer draws: the control
// polygon and its points, obstacle and spawn handles, traffic paths, the selection, the problems
// marked where they are and listed in a panel, the file's state, the status line and the keys.
#pragma once

#include <string>
#include <vector>

#include "editor/editor_model.h"
#include "editor/picking.h"
#include "sim/diagnostics.h"
#include "view/hud.h"
#include "view/scene.h"

namespace view {

/// What a right click on an empty spot does (keys 1 to 5).
enum class EditorTool { Track, Box, Circle, Spawn, Traffic };

/// The editor's state that the frame shows, besides the model.
struct EditorView {
  EditorTool tool = EditorTool::Track;
  editor::Handle selected;
  bool confirm_quit = false;        ///< Esc pressed once with unsaved changes
  std::string message;              ///< a recent message (saved, refused), "" for none
};

const char* tool_name(EditorTool tool);

/// Why tools 1 to 3 and the track's width do nothing in a procedural scenario.
inline constexpr const char* kProceduralTrack =
    "the track and its obstacles are generated ([procedural]): change them in the file";

/// Whether `tool` would add to what a procedural scenario generates (track points, obstacles).
bool tool_edits_generated(EditorTool tool, const editor::Document& doc);

/// A few words on what is wrong, for the problems panel: "crosses itself", "off the track".
std::string short_reason(const sim::Diagnostic& d);

/// Every key and mouse action of the editor, for the help overlay and the README.
std::vector<KeyHelp> editor_keys();

/// Adds the editor's marks, car (at the spawn), panels, status, banner and keys to scene, whose
/// scenario and track the caller has set.
void fill_editor_scene(const editor::EditorModel& model, const EditorView& ui, Scene& scene);

}  // namespace view
