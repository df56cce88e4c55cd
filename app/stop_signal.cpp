// Stop signals (see stop_signal.h). The handler only stores the signal number and restores the
// default action: both are async-signal-safe.
#include "app/stop_signal.h"

#include <csignal>

namespace app {
namespace {

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_stop_signal(int signo) {
  g_signal = signo;
  std::signal(signo, SIG_DFL);
}

}  // namespace

void install_stop_handlers() {
  g_signal = 0;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

int stop_requested() { return g_signal; }

}  // namespace app
