"""Write the overview page: python scripts/report.py [--warehouse PATH] [--output FILE]."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nav_tiltak.overview import main  # noqa: E402

sys.exit(main())
