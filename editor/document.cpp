// Reading a scenario file into a Document and writing it back (see document.h).
#include "editor/document.h"

#include <algorithm>
#include <array>
#include <sstream>

#include "sim/toml_reader.h"

namespace editor {
namespace {

/// A [table] or [[array of tables]] of its own, as opposed to a value written after `key =`
/// (inline tables stay inline).
bool is_section(const toml::node& node) {
  return (node.is_table() && !node.as_table()->is_inline()) || node.is_array_of_tables();
}

// ---- comments ----

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::string_view trim_left(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t");
  return first == std::string_view::npos ? std::string_view() : s.substr(first);
}

/// The comment lines right above 1-based line `line` (no blank line between), joined with '\n'.
std::string comment_above(const std::vector<std::string>& lines, int line) {
  int first = line;  // the block is lines [first, line), 1-based
  while (first > 1 && trim_left(lines[static_cast<std::size_t>(first - 2)]).starts_with("#")) --first;
  std::string out;
  for (int k = first; k < line; ++k) {
    out += std::string(trim_left(lines[static_cast<std::size_t>(k - 1)]));
    out += '\n';
  }
  return out;
}

/// The comment that ends 1-based line `line` ("# ..."), or "": the first '#' outside a string.
std::string comment_after(const std::vector<std::string>& lines, int line) {
  if (line < 1 || line > static_cast<int>(lines.size())) return "";
  const std::string& s = lines[static_cast<std::size_t>(line - 1)];
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote != 0) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      return s.substr(i);
    }
  }
  return "";
}

TableComments comments_of(const toml::table& table, const std::vector<std::string>& lines, bool has_header) {
  TableComments c;
  if (has_header) c.above = comment_above(lines, static_cast<int>(table.source().begin.line));
  for (const auto& [key, node] : table) {
    if (is_section(node)) continue;
    const std::string above = comment_above(lines, static_cast<int>(key.source().begin.line));
    if (!above.empty()) c.key_above[std::string(key.str())] = above;
    const std::string after = comment_after(lines, static_cast<int>(node.source().end.line));
    if (!after.empty()) c.key_after[std::string(key.str())] = after;
  }
  return c;
}

// ---- values ----

bool is_bare_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string key_text(std::string_view key) { return is_bare_key(key) ? std::string(key) : quoted(key); }

std::string inline_value(const toml::node& node);

std::string inline_array(const toml::array& a, std::size_t first, std::size_t count) {
  std::string out = "[";
  for (std::size_t i = first; i < first + count; ++i) {
    if (i > first) out += ", ";
    out += inline_value(a[i]);
  }
  out += ']';
  return out;
}

std::string inline_value(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return quoted(node.as_string()->get());
    case toml::node_type::integer: return std::to_string(node.as_integer()->get());
    case toml::node_type::floating_point: return sim::format_number(node.as_floating_point()->get(), true);
    case toml::node_type::boolean: return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::array: return inline_array(*node.as_array(), 0, node.as_array()->size());
    case toml::node_type::table: {
      std::string out = "{ ";
      bool first = true;
      for (const auto& [key, value] : *node.as_table()) {
        if (!first) out += ", ";
        out += key_text(key.str()) + " = " + inline_value(value);
        first = false;
      }
      out += first ? "}" : " }";
      return out;
    }
    default: {
      std::ostringstream os;  // dates and times: toml++ prints them as TOML writes them
      if (const auto* d = node.as_date()) os << *d;
      if (const auto* t = node.as_time()) os << *t;
      if (const auto* dt = node.as_date_time()) os << *dt;
      return os.str();
    }
  }
}

/// A long array of arrays (track points, waypoints) over several lines, four elements a line.
std::string multiline_array(const toml::array& a) {
  constexpr std::size_t kPerLine = 4;
  std::string out = "[\n";
  for (std::size_t i = 0; i < a.size(); i += kPerLine) {
    out += "  ";
    for (std::size_t k = i; k < std::min(a.size(), i + kPerLine); ++k) {
      out += inline_value(a[k]);
      out += k + 1 < std::min(a.size(), i + kPerLine) ? ", " : ",\n";
    }
  }
  out += ']';
  return out;
}

bool is_point_list(const toml::node& node) {
  const toml::array* a = node.as_array();
  return a != nullptr && a->size() > 4 && std::all_of(a->begin(), a->end(), [](const toml::node& n) { return n.is_array(); });
}

// ---- tables ----

/// Keys of each known table in the order scenarios/README.md documents them.
const std::vector<std::string>& key_order(const std::string& table) {
  static const std::map<std::string, std::vector<std::string>> orders = {
      {"", {"name", "description"}},
      {"track", {"width", "sample_spacing", "points"}},
      {"obstacles", {"shape", "s", "offset", "position", "angle_deg", "length", "width", "radius"}},
      {"spawn", {"s", "s_jitter", "lateral_jitter", "heading_jitter_deg", "speed"}},
      {"car", {"length", "width", "mass", "cg_to_front_axle", "cg_to_rear_axle", "engine_force", "max_power",
               "brake_force", "reverse_force", "max_steer_deg", "steer_rate_deg", "tyre_friction", "drag",
               "rolling_resistance"}},
      {"sensors", {"rays", "fov_deg", "range", "corridor_rays"}},
      {"reward", {"progress", "crash", "near_miss", "time", "off_track", "lap"}},
      {"episode", {"dt", "substeps", "velocity_iterations", "position_iterations", "max_steps", "laps",
                   "near_miss_distance", "wrong_way_limit", "terminate_on_crash"}},
      {"traffic", {"waypoints", "offset", "speed", "speed_profile", "start", "start_jitter", "count", "spacing",
                   "length", "width"}},
  };
  static const std::vector<std::string> none;
  const auto it = orders.find(table);
  return it == orders.end() ? none : it->second;
}

const std::array<const char*, 8> kSectionOrder = {"track", "obstacles", "spawn", "car", "sensors",
                                                 "reward", "episode", "traffic"};

/// The table's keys: the documented ones in order, then the others (alphabetical, as toml++ keeps them).
std::vector<std::string> ordered_keys(const toml::table& table, const std::vector<std::string>& order) {
  std::vector<std::string> keys;
  for (const std::string& k : order) {
    if (table.contains(k)) keys.push_back(k);
  }
  for (const auto& [key, node] : table) {
    if (std::find(order.begin(), order.end(), key.str()) == order.end()) keys.emplace_back(key.str());
  }
  return keys;
}

void write_comment(std::string& out, const std::string& lines) { out += lines; }

void write_table(std::string& out, const std::string& path, const std::string& kind, const toml::table& table,
                 const TableComments* comments, bool array_element);

/// The sub-tables and arrays of tables of `table`, each under its own header.
void write_children(std::string& out, const std::string& path, const toml::table& table,
                    const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    const toml::node& node = *table.get(key);
    const std::string child = path.empty() ? key_text(key) : path + "." + key_text(key);
    if (!is_section(node)) continue;
    if (const toml::table* sub = node.as_table()) {
      write_table(out, child, key, *sub, nullptr, false);
    } else if (node.is_array_of_tables()) {
      for (const toml::node& element : *node.as_array()) write_table(out, child, key, *element.as_table(), nullptr, true);
    }
  }
}

/// Writes `table` (a [path] or [[path]] block, or the top level when path is ""): its plain keys,
/// then its sub-tables. `kind` names its key order ("obstacles" for every [[obstacles]]).
void write_table(std::string& out, const std::string& path, const std::string& kind, const toml::table& table,
                 const TableComments* comments, bool array_element) {
  const std::vector<std::string> keys = ordered_keys(table, key_order(kind));
  if (!path.empty()) {
    if (!out.empty()) out += '\n';
    if (comments != nullptr) write_comment(out, comments->above);
    out += array_element ? "[[" + path + "]]\n" : "[" + path + "]\n";
  }
  for (const std::string& key : keys) {
    const toml::node& node = *table.get(key);
    if (is_section(node)) continue;
    if (comments != nullptr) {
      if (const auto it = comments->key_above.find(key); it != comments->key_above.end()) write_comment(out, it->second);
    }
    out += key_text(key) + " = " + (is_point_list(node) ? multiline_array(*node.as_array()) : inline_value(node));
    if (comments != nullptr) {
      if (const auto it = comments->key_after.find(key); it != comments->key_after.end()) out += "  " + it->second;
    }
    out += '\n';
  }
  if (path.empty()) return;  // the top level's tables are written in the section order
  write_children(out, path, table, keys);
}

const TableComments* element_comments(const Document& doc, const std::string& name, std::size_t k) {
  const auto it = doc.arrays.find(name);
  return it != doc.arrays.end() && k < it->second.size() ? &it->second[k] : nullptr;
}

}  // namespace

std::optional<Document> read_document(std::string_view text, const std::string& file,
                                      std::vector<sim::Diagnostic>& diagnostics) {
  std::optional<toml::table> root = sim::parse_toml(text, file, diagnostics);
  if (!root) return std::nullopt;
  Document doc;
  doc.root = std::move(*root);
  const std::vector<std::string> lines = split_lines(text);
  doc.tables[""] = comments_of(doc.root, lines, false);
  for (const auto& [key, node] : doc.root) {
    if (!is_section(node)) continue;
    if (const toml::table* t = node.as_table()) {
      doc.tables[std::string(key.str())] = comments_of(*t, lines, true);
    } else if (node.is_array_of_tables()) {
      std::vector<TableComments>& elements = doc.arrays[std::string(key.str())];
      for (const toml::node& element : *node.as_array()) elements.push_back(comments_of(*element.as_table(), lines, true));
    }
  }
  return doc;
}

std::string write_document(const Document& doc) {
  std::string out;
  const auto top = doc.tables.find("");
  write_table(out, "", "", doc.root, top == doc.tables.end() ? nullptr : &top->second, false);
  // Sections in the documented order, then any others.
  std::vector<std::string> sections(kSectionOrder.begin(), kSectionOrder.end());
  const std::vector<std::string> keys = ordered_keys(doc.root, sections);
  for (const std::string& key : keys) {
    const toml::node& node = *doc.root.get(key);
    if (!is_section(node)) continue;
    if (const toml::table* t = node.as_table()) {
      const auto it = doc.tables.find(key);
      write_table(out, key_text(key), key, *t, it == doc.tables.end() ? nullptr : &it->second, false);
    } else if (node.is_array_of_tables()) {
      const toml::array& list = *node.as_array();
      for (std::size_t k = 0; k < list.size(); ++k) {
        write_table(out, key_text(key), key, *list[k].as_table(), element_comments(doc, key, k), true);
      }
    }
  }
  return out;
}

}  // namespace editor
