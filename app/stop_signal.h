// Stop signals: SIGINT (Ctrl-C) and SIGTERM ask a long job to finish what it is doing, save,
// and exit. The first signal only sets a flag the job polls between iterations; a second one
// ends the process at once (the default action), for a job that does not get there — except in
// an MPI rank, which gets two at once from a Ctrl-C (SIGINT from the terminal, SIGTERM from
// mpirun) and is killed by mpirun (SIGKILL) if it takes too long.
#pragma once

namespace app {

/// Installs the handlers for SIGINT and SIGTERM; with second_signal_kills = false they stay
/// installed after the first signal.
void install_stop_handlers(bool second_signal_kills = true);

/// The signal received (SIGINT or SIGTERM), or 0 while none has been.
int stop_requested();

}  // namespace app
