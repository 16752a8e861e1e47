"""What a parsed document prints: its tables (a text table, or a block of a workbook sheet) and their rows,
kept as printed, with what the parsers read in them (groups, months, the period). The loader writes these
as the raw seeds; dbt reads every fact with the parsers' meaning."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    title: str  # the printed title lines joined by a space (a workbook: the sheet's title)
    title_line: int
    main_group: str
    measure_group: str  # "alle" where the rows are measure groups or types (NAV's national tables)
    months: tuple[str, ...]  # month labels as printed in the header
    month_numbers: tuple[int, ...]  # what they name: 1 for "Januar"
    header_line: int  # its month header's line; a block under a month header it shares: the block's first row
    # The data rows, column by column: the loader's hot path makes no Python object per row.
    row_labels: tuple[str, ...]  # as printed
    row_lines: tuple[int, ...]
    row_values: tuple[str, ...]  # each row's values as printed, tab-separated: "3 704\t*\t12" ("" unprinted)
    # What the rows are: county, municipality, measure_group (TILT100) or measure_type (TILT110-180).
    row_kind: str = "county"
    sheet: str | None = None  # a workbook's sheet; None for a text document
    first_value_column: int | None = None  # in a workbook, the column of the first month (A = 1)
    measure_type: str = "alle"  # a block of a county or municipality sheet: its measure type


@dataclass(frozen=True)
class Document:
    source_name: str
    period: str  # the period as printed ("Januar - Desember 2021"), or as a file name gives it
    period_line: int | None  # None where the period comes from the file name
    year: int
    period_months: tuple[int, ...]  # the months the period names, each printed by a table: (1, ..., 12)
    tables: tuple[Table, ...] = field(default=())
    geography: str = "county"  # what its tables cover: county (and Norway), or national (NAV's TILT workbooks)
    table_code: str | None = None  # NAV's table code for a national workbook: TILT100, TILT110, ...
    sheets_not_read: tuple[str, ...] = ()  # a workbook's visible sheets this project does not know
    sheets_hidden: tuple[str, ...] = ()  # a workbook's hidden sheets: never read, named


# What a printed value is: "3 704", "12 322", "473", "3704": ASCII digits, in groups of three separated by a
# space, a no-break space or a thin space as NAV's exports print them, or not grouped at all; at most
# MAX_COUNT, so that every count and every sum of them fits the warehouse's integers. Possessive quantifiers:
# the loader's hot path, and a value never needs to give characters back. Or NAV's "*", a value below 4.
MAX_COUNT = 9_999_999  # more people than live in Norway
SUPPRESSED = "*"
_SEPARATOR = "[ \u00a0\u202f\u2009]"
INTEGER = rf"[0-9]{_SEPARATOR}[0-9]{{3}}+{_SEPARATOR}[0-9]{{3}}+|[0-9]{{1,3}}+{_SEPARATOR}[0-9]{{3}}+|[0-9]{{1,7}}+"
_VALUE = re.compile(INTEGER)
_ANY_INTEGER = re.compile(rf"[0-9]+(?:{_SEPARATOR}[0-9]{{3}})*")
_MAX_SHOWN = f"{MAX_COUNT:,}".replace(",", " ")
# Labels and titles are names, a few words long; a longer one is not a table NAV printed (and would not fit
# the warehouse's text files and messages).
MAX_LABEL = 200


def is_value(text: str) -> bool:
    """Whether ``text`` is a printed value: a whole number as NAV prints it (at most MAX_COUNT) or "*"."""
    return text == SUPPRESSED or _VALUE.fullmatch(text) is not None


def value_fault(text: str, empty_allowed: bool = False) -> str:
    """What is wrong with a printed value that ``is_value`` refuses, in the words of a message."""
    if _ANY_INTEGER.fullmatch(text):
        return f"is larger than {_MAX_SHOWN}, the largest count the warehouse accepts (more people than live in Norway)"
    return 'is neither a whole number, "*" nor empty' if empty_allowed else 'is neither a whole number nor "*"'


def count_of(text: str) -> int:
    """The number a printed whole number gives ("3 704" -> 3704)."""
    return int(re.sub(r"\D", "", text))
