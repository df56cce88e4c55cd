// Finding the viewer's fonts at run time: Debian's fonts-dejavu-core, or whatever fontconfig
// (fc-match) reports for the family, so a missing font is a clear error instead of blank text.
#pragma once

#include <string>

namespace view {

inline constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

/// Path of `file` (e.g. "DejaVuSans.ttf") in kFontDir, else the file fc-match reports for
/// `family` (e.g. "DejaVu Sans"), else "".
std::string find_font(const std::string& file, const std::string& family);

/// The error when no font is found for `family`.
std::string missing_font_message(const std::string& file, const std::string& family);

}  // namespace view
