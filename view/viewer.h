// Viewer: the window. Opens it (with a clear error when there is no display or no font), runs
// the frame loop — events, the mode's update, the camera, drawing — and owns what every mode
// shares: camera controls, view toggles, help overlay, F12 screenshots and the headless
// `--frames N --screenshot FILE` run. What is simulated and shown is the Mode's business.
#pragma once

#include <SFML/Window/Event.hpp>
#include <SFML/Window/Keyboard.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scenario_loader.h"
#include "view/camera.h"
#include "view/hud.h"
#include "view/renderer.h"
#include "view/scene.h"

namespace view {

/// No display, no font, no window: what went wrong and what to do instead.
struct ViewerError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct WindowOptions {
  std::string title = "crashcourse";
  unsigned width = 1280;            ///< px
  unsigned height = 720;            ///< px
  int fps = 0;                      ///< frame-rate cap; 0: 60, or 20 when rendering is in software
  int frames = 0;                   ///< > 0: close after this many frames (headless runs)
  std::string screenshot;           ///< with frames: save the last frame here (PNG)
  float zoom = 8.0f;                ///< px per m of the follow camera at start
  bool follow = true;               ///< start with the follow-cam (else the free camera)
  std::function<bool()> stop;       ///< polled each frame: true closes the window (Ctrl-C)
  /// Draw only with CPU time nothing else wants (Linux SCHED_IDLE, for this thread and the
  /// renderer's threads, which it starts). Training on every core barely notices the window: a
  /// drawing thread that takes a core from one training thread stalls the other at the next
  /// barrier too. The price: on a machine busy with other work the window gets few frames.
  bool idle_priority = false;
};

/// One way of using the viewer (watch, play, replay): what it simulates and what it shows.
class Mode {
 public:
  virtual ~Mode() = default;
  /// Advances by a frame that lasted frame_seconds of wall time.
  virtual void update(double frame_seconds) = 0;
  /// A key the window does not use itself; returns whether the mode used it.
  virtual bool key_pressed(sf::Keyboard::Key key, bool shift) = 0;
  virtual void key_released(sf::Keyboard::Key /*key*/) {}
  /// A left-button press or drag at p (px) in a window of the given size; returns whether the
  /// mode used it (else it pans the camera).
  virtual bool mouse(ScreenPoint /*p*/, bool /*drag*/, float /*width*/, float /*height*/) { return false; }
  /// Every window event but Resized, before the viewer's own handling, with the camera (world ↔
  /// pixels); returns whether the mode used it, in which case the viewer ignores it (a used
  /// Closed keeps the window open). For modes that need more than keys and left drags: the
  /// editor (right button, Ctrl, picking, unsaved changes).
  virtual bool event(const sf::Event& /*e*/, Camera& /*camera*/) { return false; }
  /// Once a frame after update(), before drawing: a mode that steers the camera itself does so here.
  virtual void camera(Camera& /*camera*/) {}
  /// Describes the frame to draw.
  virtual void fill(Scene& scene) = 0;
  virtual std::string help_title() const = 0;
};

/// A connection to the X display (an opaque Display*), or nullptr with `error` set to what is
/// wrong and a hint (xvfb-run, or `crashcourse train`). close_display ends it.
void* open_display(const std::string& command, std::string& error);
void close_display(void* display);

/// The keys every mode shares, for the help overlay.
std::vector<KeyHelp> common_keys();

/// 0 for the 1 key, 1 for 2, ... up to 8 for 9 (top row or keypad); -1 for any other key.
int number_key(sf::Keyboard::Key key);

class Viewer {
 public:
  /// Checks the display, loads the fonts and opens the window; throws ViewerError.
  Viewer(const WindowOptions& options, const sim::LoadedScenario& scenario, const std::string& command);
  ~Viewer();
  Viewer(const Viewer&) = delete;
  Viewer& operator=(const Viewer&) = delete;

  /// Opens one into `viewer`; returns "" or what went wrong (the ViewerError's message).
  static std::string open(std::optional<Viewer>& viewer, const WindowOptions& options,
                          const sim::LoadedScenario& scenario, const std::string& command);

  /// Runs until the window is closed (Esc, Q) or options.frames frames were drawn. Returns 0, or
  /// 1 when the screenshot could not be written.
  int run(Mode& mode);

  /// Frames drawn and wall seconds spent by the last run().
  int frames() const { return frames_; }
  double seconds() const { return seconds_; }

 private:
  struct Impl;
  /// Held open while the window lives (see display.cpp); declared first, so closed last.
  std::unique_ptr<void, void (*)(void*)> display_{nullptr, close_display};
  std::unique_ptr<Impl> impl_;
  int frames_ = 0;
  double seconds_ = 0.0;
};

}  // namespace view
