// Whether an X display can be opened, asked before SFML tries (it aborts when it cannot). The
// connection stays open while the viewer runs: an X server with no client left resets itself
// (Xvfb does), and SFML connecting during that reset would fail. Its own file: Xlib's macros
// (None, Status, ...) collide with SFML's names.
#include "view/viewer.h"

#include <X11/Xlib.h>

#include <cstdlib>

namespace view {

void* open_display(const std::string& command, std::string& error) {
  const char* display = std::getenv("DISPLAY");
  const std::string hint = "run it under a virtual display: xvfb-run -a crashcourse " + command +
                           " ... --frames 600 --screenshot out.png, or train without a window: crashcourse train";
  if (display == nullptr || *display == '\0') {
    error = "crashcourse " + command + ": expected a display to open a window, got none (DISPLAY is not set) (hint: " +
            hint + ")";
    return nullptr;
  }
  Display* x = XOpenDisplay(nullptr);
  if (x == nullptr) error = "crashcourse " + command + ": cannot open the display '" + display + "' (hint: " + hint + ")";
  return x;
}

void close_display(void* display) {
  if (display != nullptr) XCloseDisplay(static_cast<Display*>(display));
}

}  // namespace view
