// Typed, checked reads from toml++ tables; see toml_reader.h. Messages follow one pattern,
// "expected <what the schema allows>, got <what the file says>", so users learn to read them once.
#include "sim/toml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <system_error>

namespace sim {
namespace {

char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Optimal string alignment distance, ignoring case: insertions, deletions, substitutions and
// swaps of adjacent characters each cost 1 ("mas" and "msas" are both one edit from "mass").
int edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = to_lower(a[i - 1]) == to_lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && to_lower(a[i - 1]) == to_lower(b[j - 2]) &&
          to_lower(a[i - 2]) == to_lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string describe_range(const Range& r) {
  const bool has_lo = std::isfinite(r.lo);
  const bool has_hi = std::isfinite(r.hi);
  if (has_lo && has_hi) {
    return std::string("in ") + (r.lo_open ? "(" : "[") + format_number(r.lo, false) + ", " +
           format_number(r.hi, false) + (r.hi_open ? ")" : "]");
  }
  if (has_lo) return (r.lo_open ? "> " : ">= ") + format_number(r.lo, false);
  if (has_hi) return (r.hi_open ? "< " : "<= ") + format_number(r.hi, false);
  return "";
}

bool in_range(double v, const Range& r) {
  const bool lo_ok = r.lo_open ? v > r.lo : v >= r.lo;
  const bool hi_ok = r.hi_open ? v < r.hi : v <= r.hi;
  return lo_ok && hi_ok;
}

// A hint for a string that holds what the schema wanted unquoted: "1200" for a number.
std::string unquote_hint(const toml::node& node) {
  const toml::value<std::string>* s = node.as_string();
  if (!s) return "";
  const std::string& text = s->get();
  double parsed = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
    return "write numbers without quotes: " + text;
  }
  if (text == "true" || text == "false") return "write true or false without quotes";
  return "";
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

template <class Real>
std::string format_real(Real v, bool keep_point) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::fabs(v) < Real(1e15) && v == std::trunc(v)) {
    return std::to_string(static_cast<long long>(v)) + (keep_point ? ".0" : "");
  }
  char buffer[64];
  const std::to_chars_result r = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, r.ptr);
}

}  // namespace

void Reporter::error(SourceLocation where, std::string key_path, std::string message,
                     std::string hint) const {
  out->push_back({file, where, std::move(key_path), std::move(message), std::move(hint)});
}

SourceLocation location_of(const toml::node& node) {
  return {static_cast<int>(node.source().begin.line), static_cast<int>(node.source().begin.column)};
}

SourceLocation location_of(const toml::key& key) {
  return {static_cast<int>(key.source().begin.line), static_cast<int>(key.source().begin.column)};
}

std::string format_number(double v, bool keep_point) { return format_real(v, keep_point); }
std::string format_number(float v, bool keep_point) { return format_real(v, keep_point); }

std::string describe_value(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: {
      constexpr std::size_t kMaxShown = 40;
      std::string text = node.as_string()->get();
      if (text.size() > kMaxShown) text = text.substr(0, kMaxShown - 3) + "...";
      return "a string \"" + text + "\"";
    }
    case toml::node_type::integer: return std::to_string(node.as_integer()->get());
    case toml::node_type::floating_point: return format_number(node.as_floating_point()->get());
    case toml::node_type::boolean: return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::array: {
      const std::size_t n = node.as_array()->size();
      if (n == 0) return "an empty array";
      return "an array of " + std::to_string(n) + (n == 1 ? " element" : " elements");
    }
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string nearest_word(std::string_view word, const std::vector<std::string>& candidates) {
  // A key written without its ending, typically the unit: "max_steer" for "max_steer_deg".
  const std::string prefix = std::string(word) + "_";
  std::vector<std::string> extended;
  for (const std::string& candidate : candidates) {
    if (candidate.starts_with(prefix)) extended.push_back(candidate);
  }
  if (extended.size() == 1) return extended.front();
  // Close enough to be a typo: no edit in a word of 1-2 letters ("x" is not a misspelt "s"),
  // one in a short word, two in a medium one, three in a long one.
  const int limit = word.size() <= 2 ? 0 : word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
  std::string best;
  int best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const int d = edit_distance(word, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::optional<double> check_number(const toml::node& node, const std::string& path, Range range,
                                   const Reporter& report) {
  double v = 0.0;
  if (const toml::value<std::int64_t>* i = node.as_integer()) {
    v = static_cast<double>(i->get());
  } else if (const toml::value<double>* f = node.as_floating_point()) {
    v = f->get();
  } else {
    report.error(location_of(node), path, "expected a number, got " + describe_value(node),
                 unquote_hint(node));
    return std::nullopt;
  }
  const std::string allowed = describe_range(range);
  const std::string what = allowed.empty() ? "number" : "number " + allowed;
  if (!std::isfinite(v)) {
    report.error(location_of(node), path, "expected a finite " + what + ", got " + describe_value(node));
    return std::nullopt;
  }
  if (!in_range(v, range)) {
    report.error(location_of(node), path, "expected a " + what + ", got " + describe_value(node));
    return std::nullopt;
  }
  // Everything in sim/ is a float: a larger value would silently become inf.
  if (std::fabs(v) > std::numeric_limits<float>::max()) {
    report.error(location_of(node), path, "expected a " + what + ", got " + describe_value(node),
                 "too large for the simulation's 32-bit floats");
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> check_integer(const toml::node& node, const std::string& path,
                                          IntRange range, const Reporter& report) {
  const toml::value<std::int64_t>* i = node.as_integer();
  if (!i) {
    std::string hint = unquote_hint(node);
    if (const toml::value<double>* f = node.as_floating_point()) {
      const double v = f->get();
      hint = std::isfinite(v) && v == std::trunc(v)
                 ? "write " + format_number(v, false) + " without the decimal point"
                 : "this is a count: a whole number";
    }
    report.error(location_of(node), path, "expected an integer, got " + describe_value(node), hint);
    return std::nullopt;
  }
  if (i->get() < range.lo || i->get() > range.hi) {
    report.error(location_of(node), path,
                 "expected an integer in [" + std::to_string(range.lo) + ", " +
                     std::to_string(range.hi) + "], got " + describe_value(node));
    return std::nullopt;
  }
  return i->get();
}

TableReader::TableReader(const toml::table& table, std::string path, const Reporter& report)
    : table_(table), path_(std::move(path)), report_(report) {}

const toml::node* TableReader::find(std::string_view key) {
  if (std::find(valid_keys_.begin(), valid_keys_.end(), key) == valid_keys_.end()) {
    valid_keys_.emplace_back(key);
  }
  const toml::node* node = table_.get(key);
  if (node) report_.source->add(path_of(key), location_of(*node));
  return node;
}

bool TableReader::read_number(std::string_view key, Range range, float& out) {
  const toml::node* node = find(key);
  if (!node) return true;
  const std::optional<double> v = check_number(*node, path_of(key), range, report_);
  if (v) out = static_cast<float>(*v);
  return v.has_value();
}

bool TableReader::read_degrees(std::string_view key, Range range_deg, float& out_rad) {
  const toml::node* node = find(key);
  if (!node) return true;
  const std::optional<double> deg = check_number(*node, path_of(key), range_deg, report_);
  if (deg) out_rad = static_cast<float>(*deg * std::numbers::pi / 180.0);
  return deg.has_value();
}

bool TableReader::read_integer(std::string_view key, IntRange range, int& out) {
  const toml::node* node = find(key);
  if (!node) return true;
  const std::optional<std::int64_t> v = check_integer(*node, path_of(key), range, report_);
  if (v) out = static_cast<int>(*v);  // exact: IntRange bounds fit an int
  return v.has_value();
}

bool TableReader::read_integer(std::string_view key, IntRange range, std::int64_t& out) {
  const toml::node* node = find(key);
  if (!node) return true;
  const std::optional<std::int64_t> v = check_integer(*node, path_of(key), range, report_);
  if (v) out = *v;
  return v.has_value();
}

bool TableReader::read_bool(std::string_view key, bool& out) {
  const toml::node* node = find(key);
  if (!node) return true;
  if (const toml::value<bool>* b = node->as_boolean()) {
    out = b->get();
    return true;
  }
  report_.error(location_of(*node), path_of(key), "expected true or false, got " + describe_value(*node),
                unquote_hint(*node));
  return false;
}

bool TableReader::read_string(std::string_view key, std::string& out) {
  const toml::node* node = find(key);
  if (!node) return true;
  if (const toml::value<std::string>* s = node->as_string()) {
    out = s->get();
    return true;
  }
  report_.error(location_of(*node), path_of(key), "expected a string, got " + describe_value(*node),
                "put text in double quotes");
  return false;
}

const toml::table* TableReader::find_table(std::string_view key) {
  const toml::node* node = find(key);
  if (!node) return nullptr;
  if (const toml::table* table = node->as_table()) return table;
  report_.error(location_of(*node), path_of(key), "expected a table, got " + describe_value(*node),
                "write [" + path_of(key) + "] on a line of its own, then its keys below it");
  return nullptr;
}

void TableReader::report_unknown_keys() const {
  for (const auto& [key, node] : table_) {
    if (std::find(valid_keys_.begin(), valid_keys_.end(), key.str()) != valid_keys_.end()) continue;
    const std::string near = nearest_word(key.str(), valid_keys_);
    const std::string hint = near.empty() ? "valid keys " + table_phrase() + ": " + join(valid_keys_)
                                          : "did you mean '" + near + "'?";
    const bool is_table = node.is_table() || node.is_array_of_tables();
    report_.error(location_of(key), path_of(key.str()), is_table ? "unknown table" : "unknown key",
                  hint);
  }
}

std::string TableReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string TableReader::table_phrase() const {
  if (path_.empty()) return "at the top level";
  if (path_.back() == ']') return "in [[" + path_.substr(0, path_.rfind('[')) + "]]";
  return "in [" + path_ + "]";
}

std::optional<toml::table> parse_toml(std::string_view text, const std::string& file,
                                      std::vector<Diagnostic>& diagnostics) {
  try {
    return toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& e) {
    const SourceLocation where{static_cast<int>(e.source().begin.line),
                               static_cast<int>(e.source().begin.column)};
    diagnostics.push_back({file, where, "", std::string(e.description()),
                           "TOML syntax; the rest of the file is checked once this is fixed"});
    return std::nullopt;
  }
}

void sort_by_position(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.where.line != b.where.line) return a.where.line < b.where.line;
    return a.where.column < b.where.column;
  });
}

}  // namespace sim
