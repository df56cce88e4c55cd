// Live validation (see validation.h).
#include "editor/validation.h"

#include <cmath>
#include <cstdlib>
#include <string_view>

#include "editor/edits.h"
#include "sim/scenario_parser.h"
#include "sim/track.h"

namespace editor {
namespace {

/// The index after `prefix` in a key path ("obstacles[3].radius" with "obstacles[" gives 3), or -1.
int index_after(const std::string& key, std::string_view prefix) {
  if (!key.starts_with(prefix)) return -1;
  return std::atoi(key.c_str() + prefix.size());
}

/// Where segments a0-a1 and b0-b1 cross, if they do.
std::optional<b2Vec2> crossing(b2Vec2 a0, b2Vec2 a1, b2Vec2 b0, b2Vec2 b1) {
  const b2Vec2 r = a1 - a0, s = b1 - b0;
  const float denominator = b2Cross(r, s);
  if (std::fabs(denominator) < 1e-12f) return std::nullopt;
  const float t = b2Cross(b0 - a0, s) / denominator;
  const float u = b2Cross(b0 - a0, r) / denominator;
  if (t < 0.0f || t > 1.0f || u < 0.0f || u > 1.0f) return std::nullopt;
  return a0 + t * r;
}

/// The first point where the centreline samples taken from control-point span `span` cross the
/// rest of the centreline (not their neighbours).
std::optional<b2Vec2> centreline_crossing(const sim::Track& t, int span) {
  const int n = sim::sample_count(t);
  for (int i = 0; i < n; ++i) {
    if (t.span[static_cast<std::size_t>(i)] != span) continue;
    const b2Vec2 a0 = t.centre[static_cast<std::size_t>(i)], a1 = t.centre[static_cast<std::size_t>(sim::next_sample(t, i))];
    for (int j = 0; j < n; ++j) {
      const int gap = std::abs(i - j);
      if (gap <= 1 || gap == n - 1) continue;
      const std::optional<b2Vec2> x = crossing(a0, a1, t.centre[static_cast<std::size_t>(j)],
                                               t.centre[static_cast<std::size_t>(sim::next_sample(t, j))]);
      if (x) return x;
    }
  }
  return std::nullopt;
}

std::optional<b2Vec2> locate(const sim::Diagnostic& d, const Document& doc, const sim::Scenario* scenario,
                             const sim::Track* track) {
  const std::string& key = d.key_path;
  if (const int i = index_after(key, "track.points["); i >= 0) {
    if (track != nullptr && d.message.find("does not cross itself") != std::string::npos) {
      if (const std::optional<b2Vec2> x = centreline_crossing(*track, i)) return x;
    }
    if (i < point_count(doc)) return control_point(doc, i);
    return std::nullopt;
  }
  if (const int k = index_after(key, "obstacles["); k >= 0) {
    if (track != nullptr && k < static_cast<int>(track->obstacles.size())) return track->obstacles[static_cast<std::size_t>(k)].position;
    const sim::ObstacleSpec o = obstacle_spec(doc, k);
    if (k < obstacle_count(doc) && !o.track_relative) return o.position;
    return std::nullopt;
  }
  if (key.starts_with("spawn") && track != nullptr && scenario != nullptr) {
    return sim::point_at(*track, scenario->spawn.s, 0.0f);
  }
  if (const int k = index_after(key, "traffic["); k >= 0) {
    const std::size_t at = key.find("].waypoints[");
    const std::vector<b2Vec2> loop = waypoints(doc, k);
    if (at != std::string::npos) {
      const int j = std::atoi(key.c_str() + at + 12);
      if (j >= 0 && j < static_cast<int>(loop.size())) return loop[static_cast<std::size_t>(j)];
    }
    if (!loop.empty()) return loop.front();
  }
  return std::nullopt;
}

/// The loader keeps nothing of a scenario that fails its checks, but the canvas still has to
/// draw it: the whole text parsed, else only the parts the canvas draws, else only the track
/// (a misspelt key in [car] must not leave the editor with nothing to show).
void drawable(const Document& doc, const std::string& text, const std::string& file, Validation& v) {
  sim::ParseResult parsed = sim::parse_scenario(text, file);
  for (const std::vector<const char*>& keep :
       {std::vector<const char*>{"track", "obstacles", "spawn"}, std::vector<const char*>{"track"}}) {
    if (parsed.ok()) break;
    Document part;
    for (const char* key : keep) {
      if (const toml::node* node = doc.root.get(key)) part.root.insert_or_assign(key, *node);
    }
    parsed = sim::parse_scenario(write_document(part), file);
  }
  if (!parsed.ok()) return;
  auto scenario = std::make_shared<const sim::Scenario>(std::move(parsed.scenario));
  v.track = std::make_shared<const sim::Track>(sim::build_track(*scenario));
  v.scenario = std::move(scenario);
}

bool is_unknown_traffic(const sim::Diagnostic& d) { return d.key_path == "traffic" && d.message == "unknown table"; }

}  // namespace

Validation validate(const Document& doc, const std::string& file) {
  Validation v;
  std::string text = write_document(doc);
  v.loaded = sim::load_scenario_text(text, file);
  for (const sim::Diagnostic& d : v.loaded.diagnostics) {
    if (!is_unknown_traffic(d)) continue;
    // This build's loader predates [[traffic]]: check the rest of the scenario without it.
    Document without = doc;
    without.root.erase("traffic");
    text = write_document(without);
    v.loaded = sim::load_scenario_text(text, file);
    v.traffic_ignored = true;
    break;
  }
  if (v.loaded.ok()) {
    v.scenario = v.loaded.scenario;
    v.track = v.loaded.track;
  } else {
    drawable(doc, text, file, v);
  }
  for (const sim::Diagnostic& d : v.loaded.diagnostics) {
    v.problems.push_back({d, locate(d, doc, v.scenario.get(), v.track.get())});
  }
  return v;
}

}  // namespace editor
