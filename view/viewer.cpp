// The window and its frame loop (see viewer.h).
#include "view/viewer.h"

#include <sched.h>

#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/Graphics/Texture.hpp>
#include <SFML/OpenGL.hpp>
#include <SFML/System/Clock.hpp>
#include <SFML/System/Err.hpp>
#include <SFML/Window/Event.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <streambuf>

namespace view {
namespace {

/// s between layouts of the HUD (10 Hz): numbers stay readable, the renderer stays cheap.
constexpr double kHudPeriod = 0.1;

/// Whether the current OpenGL context renders in software (Mesa's llvmpipe or softpipe).
bool is_software_renderer() {
  const auto* name = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  if (name == nullptr) return false;
  const std::string renderer(name);
  return renderer.find("llvmpipe") != std::string::npos || renderer.find("softpipe") != std::string::npos ||
         renderer.find("Software Rasterizer") != std::string::npos;
}

/// SFML reports through sf::err(); this passes its messages on to stderr, except the one an X
/// server without vertical sync (Xvfb) prints on every window, which is noise.
class SfmlErrorFilter : public std::streambuf {
 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return 0;
    line_ += static_cast<char>(c);
    if (c == '\n') {
      if (line_.find("vertical sync") == std::string::npos) std::cerr << line_;
      line_.clear();
    }
    return c;
  }

 private:
  std::string line_;
};

std::string save_png(const sf::RenderWindow& window, const std::string& path) {
  sf::Texture texture;
  const sf::Vector2u size = window.getSize();
  if (!texture.create(size.x, size.y)) return path + ": cannot capture the window";
  texture.update(window);
  if (!texture.copyToImage().saveToFile(path)) return path + ": cannot write the screenshot (hint: check the folder)";
  return "";
}

std::string timestamped_png() {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return std::string("crashcourse-") + stamp + ".png";
}

}  // namespace

std::vector<KeyHelp> common_keys() {
  return {{"C", "follow-cam / free camera"},
          {"Drag  Wheel  + -", "pan, zoom"},
          {"0", "the whole track (free camera)"},
          {"L  M  Tab", "toggle lidar rays, crash heatmap, HUD"},
          {"F12", "screenshot to crashcourse-<time>.png"},
          {"H", "this help"},
          {"Esc  Q", "quit"}};
}

int number_key(sf::Keyboard::Key key) {
  if (key >= sf::Keyboard::Num1 && key <= sf::Keyboard::Num9) return static_cast<int>(key - sf::Keyboard::Num1);
  if (key >= sf::Keyboard::Numpad1 && key <= sf::Keyboard::Numpad9) return static_cast<int>(key - sf::Keyboard::Numpad1);
  return -1;
}

std::string Viewer::open(std::optional<Viewer>& viewer, const WindowOptions& options,
                         const sim::LoadedScenario& scenario, const std::string& command) {
  try {
    viewer.emplace(options, scenario, command);
  } catch (const ViewerError& e) {
    return e.what();
  }
  return "";
}

struct Viewer::Impl {
  WindowOptions options;
  const sim::LoadedScenario& scenario;
  Fonts fonts;
  sf::RenderWindow window;
  std::unique_ptr<Renderer> renderer;
  Camera camera;
  ViewToggles toggles;
  Scene scene;
  bool quit = false;                ///< the window is to close after this frame
  bool dragging = false;
  bool input = false;               ///< an event this frame: the HUD is redrawn at once
  bool mode_drag = false;           ///< the drag started on something of the mode's (the timeline)
  ScreenPoint last_mouse;

  Impl(const WindowOptions& o, const sim::LoadedScenario& s) : options(o), scenario(s) {}

  /// Window keys; returns false for a key the mode should have.
  bool key(sf::Keyboard::Key key) {
    switch (key) {
      case sf::Keyboard::H: toggles.help = !toggles.help; return true;
      case sf::Keyboard::C: toggles.follow = !toggles.follow; return true;
      case sf::Keyboard::L: toggles.rays = !toggles.rays; return true;
      case sf::Keyboard::M: toggles.heatmap = !toggles.heatmap; return true;
      case sf::Keyboard::Tab: toggles.hud = !toggles.hud; return true;
      case sf::Keyboard::Escape:
      case sf::Keyboard::Q: quit = true; return true;
      case sf::Keyboard::Equal:
      case sf::Keyboard::Add: zoom_at(camera, {0.5f * camera.width, 0.5f * camera.height}, 1.25f); return true;
      case sf::Keyboard::Hyphen:
      case sf::Keyboard::Subtract: zoom_at(camera, {0.5f * camera.width, 0.5f * camera.height}, 0.8f); return true;
      case sf::Keyboard::Num0:
        toggles.follow = false;
        fit(camera, scenario.track->bounds.lowerBound, scenario.track->bounds.upperBound, 20.0f);
        return true;
      case sf::Keyboard::F12: {
        const std::string path = timestamped_png();
        const std::string error = save_png(window, path);
        std::printf("%s\n", error.empty() ? ("screenshot saved to " + path).c_str() : error.c_str());
        std::fflush(stdout);
        return true;
      }
      default: return false;
    }
  }

  void event(const sf::Event& e, Mode& mode) {
    input = true;
    if (e.type != sf::Event::Resized && mode.event(e, camera)) return;
    switch (e.type) {
      case sf::Event::Closed: quit = true; break;
      case sf::Event::Resized:
        camera.width = static_cast<float>(e.size.width);
        camera.height = static_cast<float>(e.size.height);
        break;
      case sf::Event::KeyPressed:
        if (!mode.key_pressed(e.key.code, e.key.shift)) key(e.key.code);
        break;
      case sf::Event::KeyReleased: mode.key_released(e.key.code); break;
      case sf::Event::MouseWheelScrolled: {
        const ScreenPoint at = toggles.follow ? ScreenPoint{0.5f * camera.width, 0.5f * camera.height}
                                              : ScreenPoint{static_cast<float>(e.mouseWheelScroll.x),
                                                            static_cast<float>(e.mouseWheelScroll.y)};
        zoom_at(camera, at, std::pow(1.15f, e.mouseWheelScroll.delta));
        break;
      }
      case sf::Event::MouseButtonPressed:
        if (e.mouseButton.button != sf::Mouse::Left) break;
        last_mouse = {static_cast<float>(e.mouseButton.x), static_cast<float>(e.mouseButton.y)};
        dragging = true;
        mode_drag = mode.mouse(last_mouse, false, camera.width, camera.height);
        break;
      case sf::Event::MouseButtonReleased: dragging = false; break;
      case sf::Event::MouseMoved: {
        const ScreenPoint p{static_cast<float>(e.mouseMove.x), static_cast<float>(e.mouseMove.y)};
        if (dragging && mode_drag) {
          mode.mouse(p, true, camera.width, camera.height);
        } else if (dragging) {
          toggles.follow = false;
          pan(camera, p.x - last_mouse.x, p.y - last_mouse.y);
        }
        last_mouse = p;
        break;
      }
      default: break;
    }
  }
};

Viewer::Viewer(const WindowOptions& options, const sim::LoadedScenario& scenario, const std::string& command) {
  static SfmlErrorFilter filter;
  sf::err().rdbuf(&filter);
  // Before any SFML window object exists: creating one opens the display, and aborts without one.
  std::string problem;
  display_.reset(open_display(command, problem));
  if (display_ == nullptr) throw ViewerError(problem);
  if (options.idle_priority) {
    // For this thread only (0 = the caller); the renderer's threads, created with the window,
    // inherit it. Best effort: without it the window just competes with training as usual.
    const sched_param param{};
    ::sched_setscheduler(0, SCHED_IDLE, &param);
  }
  impl_ = std::make_unique<Impl>(options, scenario);
  try {
    load_fonts(impl_->fonts);
  } catch (const std::runtime_error& e) {
    throw ViewerError(e.what());
  }
  Impl& v = *impl_;
  v.window.create(sf::VideoMode(options.width, options.height), options.title, sf::Style::Titlebar | sf::Style::Close);
  if (!v.window.isOpen()) throw ViewerError("crashcourse " + command + ": cannot open a window");
  // A software renderer (llvmpipe, as under Xvfb) draws on the CPU that training uses, and the X
  // server copies every frame at normal priority: a third of the frames there (training kept
  // 89 % of its headless speed at 20 fps, 76-92 % at 30). The simulation does not care: it runs
  // from the fixed-step clock.
  const bool software = is_software_renderer();
  v.window.setFramerateLimit(static_cast<unsigned>(options.fps > 0 ? options.fps : software ? 20 : 60));
  v.window.setKeyRepeatEnabled(true);
  const sf::Vector2u size = v.window.getSize();
  v.camera = {{0.0f, 0.0f}, options.zoom, static_cast<float>(size.x), static_cast<float>(size.y)};
  v.toggles.follow = options.follow;
  v.renderer = std::make_unique<Renderer>(*scenario.scenario, *scenario.track, v.fonts);
}

Viewer::~Viewer() = default;

int Viewer::run(Mode& mode) {
  Impl& v = *impl_;
  sf::Clock clock, total;
  double since_hud = 1e9;  // s since the HUD was last redrawn
  int frames = 0;
  int status = 0;
  while (!v.quit) {
    if (v.options.stop && v.options.stop()) break;
    sf::Event e;
    while (v.window.pollEvent(e)) v.event(e, mode);
    if (v.quit) break;
    const double frame_seconds = clock.restart().asSeconds();
    mode.update(frame_seconds);
    mode.camera(v.camera);
    since_hud += frame_seconds;

    v.scene = Scene{};
    v.scene.scenario = v.scenario.scenario.get();
    v.scene.track = v.scenario.track.get();
    mode.fill(v.scene);
    if (v.toggles.follow) v.camera.center = v.scene.focus;
    ++frames;
    const bool last = v.options.frames > 0 && frames >= v.options.frames;
    const bool refresh = since_hud >= kHudPeriod || v.input || last;
    v.renderer->draw(v.window, v.scene, v.camera, v.toggles, mode.help_title(), common_keys(), refresh);
    if (refresh) since_hud = 0.0;
    v.input = false;

    if (last && !v.options.screenshot.empty()) {
      if (const std::string error = save_png(v.window, v.options.screenshot); !error.empty()) {
        std::fprintf(stderr, "%s\n", error.c_str());
        status = 1;
      }
    }
    v.window.display();
    if (last) v.quit = true;
  }
  // GL resources (vertex buffers, render textures) go while the window's context still exists.
  v.renderer.reset();
  v.window.close();
  frames_ = frames;
  seconds_ = total.getElapsedTime().asSeconds();
  return status;
}

}  // namespace view
