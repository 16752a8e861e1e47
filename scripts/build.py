"""Build the warehouse: python scripts/build.py [DOCUMENT_OR_FOLDER ...] [--warehouse PATH]."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nav_tiltak.build import main  # noqa: E402

sys.exit(main())
