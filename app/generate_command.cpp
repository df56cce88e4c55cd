// `crashcourse generate`: a random closed circuit written as an ordinary, editable scenario file.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "app/commands.h"
#include "app/run_folder.h"
#include "sim/track_generator.h"

namespace app {
namespace {

struct GenerateOptions {
  std::uint64_t seed = 1;
  sim::GeneratorParams params;
  std::string out;
  bool force = false;
};

int run_generate(const GenerateOptions& o) {
  if (std::filesystem::exists(o.out) && !o.force) {
    std::fprintf(stderr, "%s: already exists (hint: choose another --out, or pass --force to replace it)\n",
                 o.out.c_str());
    return kExitBadInput;
  }
  sim::GeneratedScenario g;
  try {
    g = sim::generate_scenario(o.seed, o.params);
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "generate --seed %llu: %s\n", static_cast<unsigned long long>(o.seed), e.what());
    return kExitBadInput;
  }
  if (const std::string error = write_file_atomically(o.out, g.toml); !error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return kExitBadInput;
  }
  std::printf("%s: a %.0f m circuit with %d obstacles (seed %llu, %d candidate%s drawn)\n"
              "next: crashcourse preview %s -o preview.svg; crashcourse train --scenario %s\n",
              o.out.c_str(), static_cast<double>(g.length), o.params.obstacles,
              static_cast<unsigned long long>(o.seed), g.attempts, g.attempts == 1 ? "" : "s", o.out.c_str(),
              o.out.c_str());
  return 0;
}

}  // namespace

std::function<int()> add_generate_command(CLI::App& cli) {
  auto o = std::make_shared<GenerateOptions>();
  sim::GeneratorParams& p = o->params;
  CLI::App* cmd = cli.add_subcommand("generate", "Write a random closed circuit as a scenario file");
  cmd->add_option("--seed", o->seed, "Same seed, same track")->capture_default_str();
  cmd->add_option("--out,-o", o->out, "Scenario file to write")->required();
  cmd->add_option("--points", p.points, "Control points round the loop")->capture_default_str()->check(CLI::Range(5, 64));
  cmd->add_option("--radius", p.radius, "Mean distance of the control points from the centre (m)")
      ->capture_default_str()->check(CLI::Range(20.0, 5000.0));
  cmd->add_option("--radius-jitter", p.radius_jitter, "Each radius varies by ± this fraction")
      ->capture_default_str()->check(CLI::Range(0.0, 0.8));
  cmd->add_option("--angle-jitter", p.angle_jitter, "Each angle moves by ± this fraction of the spacing")
      ->capture_default_str()->check(CLI::Range(0.0, 0.45));
  cmd->add_option("--width", p.width, "Road width (m)")->capture_default_str()->check(CLI::Range(4.0, 40.0));
  cmd->add_option("--obstacles", p.obstacles, "Cones and crates on the road")->capture_default_str()->check(CLI::Range(0, 100));
  cmd->add_flag("--force", o->force, "Replace an existing file");
  cmd->footer("Example:\n  crashcourse generate --seed 7 --obstacles 5 -o scenarios/generated_7.toml");
  return [o] { return run_generate(*o); };
}

}  // namespace app
