// `crashcourse edit FILE`: the scenario editor. Opens FILE (or a small oval when there is no
// such file yet) in a window where its track, obstacles, spawn and traffic paths are edited with
// the mouse and keys, checked by the real loader after every edit, test-driven with F5 and saved
// atomically with Ctrl+S (the previous version kept as FILE.bak).
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.h"
#include "app/stop_signal.h"
#include "editor/editor_model.h"
#include "view/cli_flags.h"
#include "view/editor_mode.h"
#include "view/viewer.h"

namespace app {
namespace {

struct EditFlags {
  std::string file;
  std::uint64_t seed = 1;
  view::WindowOptions window;
};

/// One line on the state the file is left in.
std::string summary(const editor::EditorModel& model) {
  std::string out = model.path() + ": ";
  if (model.dirty()) {
    out += "closed with unsaved changes, which are lost";
  } else if (model.is_new()) {
    out += "not created (nothing was saved)";
  } else {
    out += "no unsaved changes";
  }
  const std::size_t problems = model.validation().problems.size();
  if (problems > 0) out += "; " + std::to_string(problems) + (problems == 1 ? " problem" : " problems");
  return out;
}

int run_edit(const EditFlags& f) {
  std::vector<sim::Diagnostic> errors;
  std::optional<editor::EditorModel> model = editor::EditorModel::open(f.file, errors);
  if (!model) {
    std::fputs(sim::format_diagnostics(errors).c_str(), stderr);
    return kExitBadInput;
  }
  const editor::Validation& opened = model->validation();
  if (opened.track == nullptr) {
    std::vector<sim::Diagnostic> problems;
    for (const editor::Problem& p : opened.problems) problems.push_back(p.diagnostic);
    std::fputs(sim::format_diagnostics(problems).c_str(), stderr);
    std::fprintf(stderr, "crashcourse edit: %s: expected a [track] the editor can draw, got none (hint: fix the "
                         "[track] problems above in a text editor first)\n", f.file.c_str());
    return kExitBadInput;
  }
  // What the window opens on; the editor shows each edit's track from then on.
  const sim::LoadedScenario shown{opened.scenario, opened.track, {}};
  view::WindowOptions window = f.window;
  window.title = "crashcourse edit: " + f.file;
  window.follow = false;
  window.stop = [] { return stop_requested() != 0; };
  install_stop_handlers();
  std::optional<view::Viewer> viewer;
  if (const std::string error = view::Viewer::open(viewer, window, shown, "edit"); !error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  view::EditorMode mode(*model, f.seed);
  const int status = viewer->run(mode);
  std::printf("%s\n", summary(*model).c_str());
  return status;
}

}  // namespace

std::function<int()> add_edit_command(CLI::App& cli) {
  auto f = std::make_shared<EditFlags>();
  CLI::App* cmd = cli.add_subcommand("edit", "Edit a scenario in a window: track, obstacles, spawn, traffic paths");
  cmd->add_option("file", f->file, "Scenario file; created by the first save when it does not exist")->required();
  cmd->add_option("--seed", f->seed, "Seed of the test drive's starts (F5)")->capture_default_str();
  view::add_window_flags(cmd, f->window);
  cmd->footer(
      "Mouse: drag points, obstacles, the spawn car and waypoints; drag empty space to pan; wheel zooms;\n"
      "right-click adds with the current tool, or deletes what is under the cursor.\n"
      "Keys: 1-5 tools (track points, box, circle, spawn, traffic), Del deletes, [ ] smaller/larger,\n"
      "R rotates, N new traffic path, Ctrl+Z/Ctrl+Y undo/redo, Ctrl+S saves (FILE.bak keeps the previous\n"
      "version), F5 test-drives, H lists them all. Every edit is checked by the loader; problems are\n"
      "marked on the track and listed. Saving a scenario with problems is allowed (it warns).\n"
      "Examples:\n"
      "  crashcourse edit scenarios/oval.toml\n"
      "  crashcourse edit my_track.toml            # a new file starts as a small oval\n"
      "  xvfb-run -a crashcourse edit scenarios/default.toml --frames 3 --screenshot edit.png");
  return [f] { return run_edit(*f); };
}

}  // namespace app
