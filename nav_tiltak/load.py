"""Command line: parse NAV documents into the raw seeds (seeds/raw/*.csv), without building.

Bad input exits with status 1 and one line, ``FILE:LINE: what is wrong``, on stderr; the seeds are then
left exactly as they were.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nav_tiltak.parse import ParseError
from nav_tiltak.paths import DEFAULT_INPUT, RAW_SEEDS_DIR
from nav_tiltak.seeds import document_paths, load_documents, read_vocabulary, write_raw


def load(inputs: list[Path], seeds_dir: Path) -> list[str]:
    """Parse the documents and write the raw seeds; returns a summary line per document."""
    documents = load_documents(document_paths(inputs), read_vocabulary())
    write_raw(documents, seeds_dir)
    summary = []
    for loaded in documents:
        suppressed = sum(values.count("*")  # a value holds "*" only if it is "*"
                         for table in loaded.document.tables for values in table.row_values)
        summary.append(f"{loaded.document.source_name}: {loaded.document.year}, {len(loaded.document.tables)} "
                       f"tables, {loaded.cell_count} cells ({suppressed} suppressed)")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=[DEFAULT_INPUT],
                        help="documents or folders of *.txt documents (default: data/raw)")
    parser.add_argument("--seeds-dir", type=Path, default=RAW_SEEDS_DIR, help="where to write the raw seeds")
    args = parser.parse_args(argv)
    try:
        summary = load(args.inputs, args.seeds_dir)
    except ParseError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{error.filename or args.seeds_dir}: cannot write the seeds: {error.strerror}", file=sys.stderr)
        return 1
    for line in summary:
        print(f"loaded {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
