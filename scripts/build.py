"""Build the warehouse: python scripts/build.py [DOCUMENT_OR_FOLDER ...] [--warehouse PATH]."""

import signal
import sys
from pathlib import Path

# Until the build takes over its signals, Ctrl-C and SIGTERM stop it as KeyboardInterrupt: one line, no
# traceback (nothing has been written yet).
signal.signal(signal.SIGTERM, signal.default_int_handler)
try:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from nav_tiltak.build import main

    status = main()
except KeyboardInterrupt:
    print("interrupted while starting: nothing published: the warehouse, its exports and the seeds are unchanged",
          file=sys.stderr)
    status = 130
sys.exit(status)
