// Stop signals: SIGINT (Ctrl-C) and SIGTERM ask a long job to finish what it is doing, save,
// and exit. The first signal only sets a flag the job polls between iterations; a second one
// ends the process at once (the default action), for a job that does not get there.
#pragma once

namespace app {

/// Installs the handlers for SIGINT and SIGTERM.
void install_stop_handlers();

/// The signal received (SIGINT or SIGTERM), or 0 while none has been.
int stop_requested();

}  // namespace app
