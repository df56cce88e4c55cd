// Font lookup (see fonts.h).
#include "view/fonts.h"

#include <cstdio>
#include <filesystem>

namespace view {
namespace {

/// What `fc-match -f %{file} <family>` prints, or "" when fc-match is absent or finds nothing.
std::string fc_match(const std::string& family) {
  const std::string command = "fc-match -f '%{file}' '" + family + "' 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  ::pclose(pipe);
  return out;
}

bool is_font_file(const std::filesystem::path& path) {
  std::error_code ec;
  const std::string ext = path.extension().string();
  return std::filesystem::is_regular_file(path, ec) && (ext == ".ttf" || ext == ".otf" || ext == ".TTF");
}

}  // namespace

std::string find_font(const std::string& file, const std::string& family) {
  const std::filesystem::path debian = std::filesystem::path(kFontDir) / file;
  if (is_font_file(debian)) return debian.string();
  const std::string matched = fc_match(family);
  return is_font_file(matched) ? matched : "";
}

std::string missing_font_message(const std::string& file, const std::string& family) {
  return "no font for the viewer: expected " + std::string(kFontDir) + file + ", or a '" + family +
         "' font from fc-match, got none (hint: install Debian's fonts-dejavu-core: apt-get install fonts-dejavu-core)";
}

}  // namespace view
