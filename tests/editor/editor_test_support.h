// Shared by the editor's tests: reading text into a Document (failing the test when it does not
// parse), a fresh folder, a file's text, and a scenario with a [[traffic]] block and keys the loader does not know.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "editor/document.h"

namespace editor::testing {

inline Document read_or_fail(const std::string& text) {
  std::vector<sim::Diagnostic> errors;
  std::optional<Document> doc = read_document(text, "test.toml", errors);
  EXPECT_TRUE(doc.has_value()) << sim::format_diagnostics(errors);
  return doc ? std::move(*doc) : Document{};
}

/// An empty folder for one test.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / ("crashcourse_editor_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// A valid 80 m x 50 m rectangle-ish loop, 10 m wide, with two traffic entries (between them every
/// key the traffic simulation reads: a waypoint loop at a speed, a centreline route at an offset
/// with a speed profile) and a section no loader knows.
inline const char* const kWithTraffic =
    "# Header comment.\n"
    "name = \"With traffic\"\n"
    "[track]\n"
    "width = 10.0\n"
    "points = [[0, 0], [80, 0], [100, 25], [80, 50], [0, 50], [-20, 25]]\n"
    "\n"
    "[[traffic]]\n"
    "waypoints = [[0, 2], [80, 2], [80, 48], [0, 48]]\n"
    "speed = 12.0\n"
    "start = 20\n"
    "\n"
    "[[traffic]]\n"
    "offset = 1.5\n"
    "speed_profile = [[0, 8.5], [100, 14]]\n"
    "start = 60\n"
    "\n"
    "[future]\n"
    "flag = true\n"
    "when = 1979-05-27\n"
    "nested = { a = 1, b = \"two\" }\n";

}  // namespace editor::testing
