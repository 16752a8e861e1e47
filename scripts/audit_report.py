"""Write the disclosure audit report: python scripts/audit_report.py [--warehouse PATH] [--output FILE]."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nav_tiltak.audit_report import main  # noqa: E402

sys.exit(main())
