"""Run the benchmark: python scripts/bench.py [--editions 1 10 100] [--output docs/benchmarks.md]."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nav_tiltak.bench import main  # noqa: E402

sys.exit(main())
