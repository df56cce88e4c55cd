// Typed reads from a parsed TOML table with diagnostics: every value is checked for type and
// range, every problem is collected (never thrown, never only the first), every key read has its
// location recorded in a SourceMap, and keys nobody asked for are reported with a spelling hint.
// Every crashcourse input file in TOML (scenarios, training configs) is read with these. Include
// it from .cpp files only, in targets that link toml++.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"

namespace sim {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

/// Allowed interval of a real value; an infinite end means "unbounded" (values must still be
/// finite). Printed in messages as "> 0", ">= 0", "in (0, 60]", "in [0.1, 10]".
struct Range {
  double lo = -kInf;
  double hi = kInf;
  bool lo_open = false;
  bool hi_open = false;
};
inline constexpr Range kAnyNumber{};
constexpr Range above(double lo) { return {lo, kInf, true, false}; }                 // (lo, ∞)
constexpr Range at_least(double lo) { return {lo, kInf, false, false}; }             // [lo, ∞)
constexpr Range closed(double lo, double hi) { return {lo, hi, false, false}; }      // [lo, hi]
constexpr Range above_up_to(double lo, double hi) { return {lo, hi, true, false}; }  // (lo, hi]

/// Allowed interval of a count, both ends included.
struct IntRange {
  std::int64_t lo = 0;
  std::int64_t hi = 0;
};

/// Where problems go: the file name for labels, the list they are appended to, and the map in
/// which the location of every key read is recorded.
struct Reporter {
  std::string file;
  std::vector<Diagnostic>* out = nullptr;
  SourceMap* source = nullptr;

  void error(SourceLocation where, std::string key_path, std::string message,
             std::string hint = {}) const;
};

SourceLocation location_of(const toml::node& node);
SourceLocation location_of(const toml::key& key);

/// A value as it reads in "expected X, got Y": `-3`, `16.5`, `true`, `a string "fast"`,
/// `an array of 2 elements`, `a table`.
std::string describe_value(const toml::node& node);

/// Shortest text that reads back as v; integral values keep a ".0" when `keep_point` (so 16.0
/// is not shown as the integer 16).
std::string format_number(double v, bool keep_point = true);
std::string format_number(float v, bool keep_point = true);

/// The closest of `candidates` to `word` by edit distance, or "" when none is close enough to be
/// a plausible typo.
std::string nearest_word(std::string_view word, const std::vector<std::string>& candidates);

/// Checks one node (a table value or an array element) and reports under `path` when it fails.
std::optional<double> check_number(const toml::node& node, const std::string& path, Range range,
                                   const Reporter& report);
std::optional<std::int64_t> check_integer(const toml::node& node, const std::string& path,
                                          IntRange range, const Reporter& report);

/// Reads the keys of one TOML table. Every key asked for (present or not) becomes a valid key of
/// the table; report_unknown_keys() then flags the others, with "did you mean" or the valid list.
/// Each read_* leaves `out` untouched when the key is absent, and returns false only when it
/// reported a problem.
class TableReader {
 public:
  /// `path` is the table's key path ("" for the root, "car", "obstacles[2]").
  TableReader(const toml::table& table, std::string path, const Reporter& report);

  /// The node under key, or nullptr; marks key as valid and records its location.
  const toml::node* find(std::string_view key);

  bool read_number(std::string_view key, Range range, float& out);
  /// A value written in degrees (key "..._deg", range in degrees), stored in radians.
  bool read_degrees(std::string_view key, Range range_deg, float& out_rad);
  bool read_integer(std::string_view key, IntRange range, int& out);
  bool read_integer(std::string_view key, IntRange range, std::int64_t& out);
  bool read_bool(std::string_view key, bool& out);
  bool read_string(std::string_view key, std::string& out);

  /// The sub-table under key; nullptr when absent or not a table (the latter is reported).
  const toml::table* find_table(std::string_view key);

  /// Reports every key of the table that was never asked for.
  void report_unknown_keys() const;

  /// "car.mass", "obstacles[2].radius", "name".
  std::string path_of(std::string_view key) const;
  SourceLocation where() const { return location_of(table_); }
  const std::string& path() const { return path_; }
  const Reporter& reporter() const { return report_; }

 private:
  std::string table_phrase() const;  // "in [car]", "in [[obstacles]]", "at the top level"

  const toml::table& table_;
  std::string path_;
  const Reporter& report_;
  std::vector<std::string> valid_keys_;  // in the order asked for, for the hint's list
};

/// Parses TOML text; on a syntax error appends one diagnostic (toml++ stops at the first, and
/// nothing after it can be trusted) and returns nothing.
std::optional<toml::table> parse_toml(std::string_view text, const std::string& file,
                                      std::vector<Diagnostic>& diagnostics);

/// Reads the sub-table `key` of `parent` with `read` (called with a TableReader), then reports
/// the keys `read` did not ask for. Absent table: nothing happens.
template <class ReadTable>
void read_section(TableReader& parent, std::string_view key, ReadTable read) {
  const toml::table* table = parent.find_table(key);
  if (!table) return;
  TableReader r(*table, std::string(key), parent.reporter());
  read(r);
  r.report_unknown_keys();
}

/// Sorts diagnostics into the order of the file (tables report unknown keys after known ones).
void sort_by_position(std::vector<Diagnostic>& diagnostics);

}  // namespace sim
