"""Build dbt's documentation site as one page: python scripts/docs.py [--warehouse PATH] [--output FILE]."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nav_tiltak.docs import main  # noqa: E402

sys.exit(main())
