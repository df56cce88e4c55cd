// Diagnostics for bad input: where in which file, which key, what was expected, and a hint.
// Every loader in crashcourse reports problems through these, all at once, never one at a time.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace sim {

/// A place in a text file. Both 1-based; 0 means unknown.
struct SourceLocation {
  int line = 0;
  int column = 0;
};

/// One problem found in an input file.
struct Diagnostic {
  std::string file;          ///< path as the user gave it
  SourceLocation where;      ///< position of the offending value (or of its table)
  std::string key_path;      ///< e.g. "track.points[3]", "car.mass"; empty for syntax errors
  std::string message;       ///< "expected a number > 0, got -3"
  std::string hint;          ///< optional: "did you mean 'mass'?"
};

/// "file:line:col: key.path: message (hint: ...)" — the one format every error is printed in.
std::string format_diagnostic(const Diagnostic& d);

/// All diagnostics, one per line, in the order given.
std::string format_diagnostics(const std::vector<Diagnostic>& ds);

/// Where each key path of a parsed file was written, so checks that run after parsing (track
/// geometry, spawn placement) can still point at the line the user has to change.
class SourceMap {
 public:
  void add(const std::string& key_path, SourceLocation where) { locations_[key_path] = where; }

  /// The location of key_path, else of its nearest recorded parent ("a.b[2].c" → "a.b[2]" →
  /// "a.b" → "a"), else unknown.
  SourceLocation locate(const std::string& key_path) const;

 private:
  std::map<std::string, SourceLocation> locations_;
};

}  // namespace sim
