// `crashcourse preview`: a scenario drawn top-down as SVG, headless — a quick look while authoring.
#include <cstdio>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/run_folder.h"
#include "report/scenario_preview.h"
#include "sim/scenario_loader.h"

namespace app {
namespace {

struct PreviewOptions {
  std::string scenario;
  std::string out;
};

int run_preview(const PreviewOptions& o) {
  const sim::LoadedScenario s = sim::load_scenario(o.scenario);
  if (!s.ok()) {
    std::fputs(sim::format_diagnostics(s.diagnostics).c_str(), stderr);
    return kExitBadInput;
  }
  const std::string out = o.out.empty() ? std::filesystem::path(o.scenario).replace_extension(".svg").string() : o.out;
  if (const std::string error = write_file_atomically(out, report::scenario_preview_svg(*s.scenario, *s.track));
      !error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return kExitBadInput;
  }
  std::printf("%s: %s\n", out.c_str(), s.scenario->name.c_str());
  return 0;
}

}  // namespace

std::function<int()> add_preview_command(CLI::App& cli) {
  auto o = std::make_shared<PreviewOptions>();
  CLI::App* cmd = cli.add_subcommand("preview", "Draw a scenario top-down as SVG");
  cmd->add_option("scenario", o->scenario, "Scenario file")->required();
  cmd->add_option("-o,--out", o->out, "SVG file to write (default: the scenario's name with .svg)");
  cmd->footer("Example:\n  crashcourse preview scenarios/default.toml -o default.svg");
  return [o] { return run_preview(*o); };
}

}  // namespace app
