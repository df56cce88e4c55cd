// Atomic save with a backup (see save_file.h).
#include "editor/save_file.h"

#include <filesystem>
#include <system_error>

#include "sim/atomic_file.h"

namespace editor {

namespace fs = std::filesystem;

std::string backup_path(const std::string& path) { return path + ".bak"; }

std::string save_with_backup(const std::string& path, const std::string& text) {
  // The previous version is copied aside once the new one is safely on disk, just before the
  // new one replaces it.
  const auto keep_previous = [&]() -> std::string {
    std::error_code ec;
    if (!fs::exists(path, ec)) return "";
    fs::copy_file(path, backup_path(path), fs::copy_options::overwrite_existing, ec);
    if (ec) return "cannot keep the previous version as '" + backup_path(path) + "': " + ec.message();
    return "";
  };
  const std::string error = sim::replace_file(path, text, keep_previous);
  return error.empty() ? "" : path + ": cannot save: " + error;
}

}  // namespace editor
