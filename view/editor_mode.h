// EditorMode (`crashcourse edit`): the scenario editor's window. Turns the mouse and keys into
// edits of an editor::EditorModel — drag points, obstacles, the spawn and traffic waypoints;
// right-click adds with the current tool or deletes what is under the cursor; keys switch tools,
// resize, rotate, undo, redo, save — and test-drives the scenario as it stands in the play mode,
// coming back to the editor with the edits intact. What a frame shows is editor_scene.h.
#pragma once

#include <SFML/Window/Event.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "editor/editor_model.h"
#include "editor/picking.h"
#include "view/editor_scene.h"
#include "view/play_mode.h"
#include "view/viewer.h"

namespace view {

class EditorMode : public Mode {
 public:
  /// seed: of the test drive's starts, as `crashcourse play --seed`.
  EditorMode(editor::EditorModel& model, std::uint64_t seed);

  void update(double frame_seconds) override;
  /// Keys arrive through event(); nothing is left for this.
  bool key_pressed(sf::Keyboard::Key /*key*/, bool /*shift*/) override { return false; }
  bool event(const sf::Event& e, Camera& camera) override;
  void camera(Camera& camera) override;
  void fill(Scene& scene) override;
  std::string help_title() const override { return "crashcourse edit: keys and mouse"; }

  const editor::EditorModel& model() const { return model_; }
  EditorTool tool() const { return tool_; }
  const editor::Handle& selected() const { return selected_; }
  /// Test-driving (F5) rather than editing.
  bool driving() const { return play_ != nullptr; }
  /// The last message for the user (saved, refused, ...), "" when none.
  const std::string& message() const { return message_; }

 private:
  bool key(const sf::Event::KeyEvent& k, Camera& camera);
  bool driving_key(const sf::Event::KeyEvent& k);
  /// Esc, Q or the window's close button: false (quit) unless there are unsaved changes and
  /// this is the first attempt, which only warns.
  bool guard_quit();
  bool press(b2Vec2 p, sf::Mouse::Button button, float tolerance);
  void drag_to(b2Vec2 p);
  void add_at(b2Vec2 p);
  void delete_handle(const editor::Handle& h);
  void delete_selected(bool whole_path);
  /// [ and ]: the selection (or the track) one step smaller (-1) or larger (+1).
  void step_size(int direction);
  void new_traffic_path();
  void save();
  void start_driving(Camera& camera);
  void stop_driving(Camera& camera);
  void say(std::string message);
  /// The selected traffic entry, or -1.
  int selected_traffic() const;

  editor::EditorModel& model_;
  std::uint64_t seed_;
  EditorTool tool_ = EditorTool::Track;
  editor::Handle selected_;
  editor::Handle dragging_;         ///< the handle being dragged, or none
  b2Vec2 grab_offset_{0.0f, 0.0f};  ///< m, handle position - cursor when the drag began
  bool confirm_quit_ = false;       ///< Esc once with unsaved changes: the next one quits
  std::string message_;
  double message_age_ = 0.0;        ///< s since message_ was set
  bool fit_camera_ = true;          ///< show the whole track at the next frame
  b2Vec2 view_center_{0.0f, 0.0f};  ///< m, the camera's centre last frame
  /// The last track that was built: shown while an edit leaves the track unreadable.
  std::shared_ptr<const sim::Scenario> shown_scenario_;
  std::shared_ptr<const sim::Track> shown_track_;
  int shown_revision_ = 0;

  // Test drive: the scenario as it was validated when F5 was pressed, the play mode on it, and
  // the editing camera to come back to.
  sim::LoadedScenario drive_;
  int drive_revision_ = 0;
  std::unique_ptr<PlayMode> play_;
  Camera edit_camera_;
};

}  // namespace view
