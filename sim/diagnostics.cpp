// Formatting of diagnostics and the key-path → source-location map.
#include "sim/diagnostics.h"

namespace sim {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.file.empty() ? "<input>" : d.file;
  if (d.where.line > 0) {
    out += ':' + std::to_string(d.where.line);
    if (d.where.column > 0) out += ':' + std::to_string(d.where.column);
  }
  out += ": ";
  if (!d.key_path.empty()) out += d.key_path + ": ";
  out += d.message;
  if (!d.hint.empty()) out += " (hint: " + d.hint + ")";
  return out;
}

std::string format_diagnostics(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += format_diagnostic(d) + '\n';
  return out;
}

SourceLocation SourceMap::locate(const std::string& key_path) const {
  std::string path = key_path;
  while (!path.empty()) {
    auto it = locations_.find(path);
    if (it != locations_.end()) return it->second;
    // Drop the last component: "a.b[2]" → "a.b", "a.b" → "a".
    const std::size_t cut = path.find_last_of(".[");
    if (cut == std::string::npos) break;
    path.resize(cut);
  }
  return {};
}

}  // namespace sim
