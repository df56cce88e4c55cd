// `crashcourse validate FILE...`: full scenario checks, every problem of every file, exit status.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.h"
#include "sim/scenario_loader.h"

namespace app {

std::function<int()> add_validate_command(CLI::App& cli) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = cli.add_subcommand("validate", "Check scenario files; print every problem as file:line:col");
  cmd->add_option("files", *files, "Scenario files (.toml)")->required();
  cmd->footer("Example:\n  crashcourse validate scenarios/*.toml\nExit status: 0 all valid, 2 otherwise.");
  return [files] {
    int bad = 0;
    for (const std::string& f : *files) {
      const sim::LoadedScenario s = sim::load_scenario(f);
      if (s.ok()) {
        const int agents = s.scenario->spawn.agents;
        const std::string of_agents = agents == 1 ? "" : ", " + std::to_string(agents) + " agents";
        std::printf("%s: ok (%s, %.0f m track, %zu obstacle%s%s)\n", f.c_str(), s.scenario->name.c_str(),
                    static_cast<double>(s.track->length), s.track->obstacles.size(),
                    s.track->obstacles.size() == 1 ? "" : "s", of_agents.c_str());
      } else {
        std::fputs(sim::format_diagnostics(s.diagnostics).c_str(), stderr);
        ++bad;
      }
    }
    return bad == 0 ? 0 : kExitBadInput;
  };
}

}  // namespace app
