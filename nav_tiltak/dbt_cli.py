"""Run dbt's command line (``python -m nav_tiltak.dbt_cli build ...``) as the ``dbt`` script does, minus
two costs of Python's memory management that are most of a second of a four-second one-edition build
(measured against the plain ``dbt`` script, interleaved runs):

- Importing dbt makes about a million objects that live until the process ends. Frozen out of the garbage
  collector, they are not walked again by every full collection during the run.
- At exit the process ends at once (``os._exit``) instead of taking those objects apart one by one, after
  what a normal exit runs first (the ``atexit`` handlers: dbt's log flushed, semaphores released). DuckDB's
  committed work is already in its write-ahead log; the build folds that into the database file
  (``checkpoint``) before publishing it or keeping a failed build aside (see ``nav_tiltak.build``).
"""

import atexit
import gc
import os
import sys

from nav_tiltak.processes import die_with_parent

if __name__ == "__main__":
    # dbt runs in a process group of its own, which a signal to the build's group would not reach.
    die_with_parent(int(os.environ.get("NAV_TILTAK_BUILD_PID", os.getppid())))
    try:
        from dbt.cli.main import cli

        gc.freeze()
        cli()
        status = 0
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    except KeyboardInterrupt:  # stopped while starting (dbt handles it once it runs); the build says so
        status = 130
    atexit._run_exitfuncs()  # what a normal exit runs first: flush dbt's log, release semaphores, ...
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
