"""Run dbt's command line (``python -m nav_tiltak.dbt_cli build ...``), as the ``dbt`` script does, with
the objects dbt's imports create frozen out of Python's garbage collector.

Importing dbt makes about a million objects that live until the process ends; without freezing, every
full collection during the run walks them all again. Freezing saves about 0.3 s of a four-second
one-edition build (measured against the plain ``dbt`` script, interleaved runs).
"""

import gc

from dbt.cli.main import cli

if __name__ == "__main__":
    gc.freeze()
    try:
        cli()
    finally:
        # Hand everything back to the collector before exit: DuckDB's bindings report objects still alive
        # at exit as leaks.
        gc.unfreeze()
