"""Load NAV documents into the raw seeds: python scripts/load.py [DOCUMENT_OR_FOLDER ...] [--seeds-dir DIR]."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nav_tiltak.load import main  # noqa: E402

sys.exit(main())
