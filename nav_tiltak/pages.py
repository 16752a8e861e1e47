"""What the commands that read the published warehouse share: their arguments, and writing a page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from nav_tiltak.paths import DEFAULT_WAREHOUSE


def published_arguments(description: str, default_output: Path,
                        argv: list[str] | None) -> argparse.Namespace | None:
    """--warehouse and --output for the commands that read the published warehouse; None, after saying
    so, when there is no warehouse yet."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    parser.add_argument("--output", type=Path, default=default_output)
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"{args.warehouse}: no warehouse yet; run `make build` first", file=sys.stderr)
        return None
    return args


def write_from_warehouse(description: str, default_output: Path, render, argv: list[str] | None,
                         echo: bool = False) -> int:
    """Render a page from the published warehouse (opened read-only) and write it to --output."""
    args = published_arguments(description, default_output, argv)
    if args is None:
        return 1
    with duckdb.connect(str(args.warehouse), read_only=True) as connection:
        text = render(connection)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    if echo:
        print(text)
    print(f"written to {args.output}")
    return 0
