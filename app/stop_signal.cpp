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

extern "C" void on_stop_signal_keep(int signo) {
  if (g_signal == 0) g_signal = signo;
}

}  // namespace

void install_stop_handlers(bool second_signal_kills) {
  g_signal = 0;
  std::signal(SIGINT, second_signal_kills ? on_stop_signal : on_stop_signal_keep);
  std::signal(SIGTERM, second_signal_kills ? on_stop_signal : on_stop_signal_keep);
}

int stop_requested() { return g_signal; }

}  // namespace app
