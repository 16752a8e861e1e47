"""NAV's layout as data, in one place: seeds/reference/*.csv, the files dbt also loads as reference seeds.

Month names, main groups, measure groups and measure types (how NAV prints them and every spelling NAV
uses), NAV's table codes and the measure groups each holds (TILT100 ... TILT180), each workbook's sheets and
what their blocks and rows are, and the fixed words of the layout ("I alt", "Gjennomsnitt hittil i år",
"*"). The loader, the parsers, the workbook writer and the synthetic generator read them here, so that a
new spelling, table or sheet is a row of data (see ``Sheet`` for what a sheet's row says).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from nav_tiltak.paths import REFERENCE_DIR

# ASCII whitespace and the no-break and thin spaces of Norwegian exports, as the SQL macro normalise_label.
_WHITESPACE = re.compile(r"[\s\u00a0\u2009\u202f]+", re.ASCII)


@lru_cache(maxsize=65536)  # documents repeat the same month names, titles and labels thousands of times
def normalise_label(label: str) -> str:
    """Fold a printed label for lookup: trim, collapse whitespace, lower case.

    The SQL macro ``normalise_label`` does the same, so the loader and dbt agree on what matches.
    """
    return _WHITESPACE.sub(" ", label).strip().lower()


@dataclass(frozen=True)
class Sheet:
    """A sheet of NAV's workbooks (ref_nav_sheets.csv): its name as NAV writes it (a sheet is known by a
    name containing it), the tables that have it, what each block of it is (a main group, a measure type,
    all measures together; notes: no blocks), what each row is (a measure group, a measure type, a county,
    a municipality), the label of its month header's first cell, and the first year NAV's files have it."""

    name: str
    table_codes: tuple[str, ...]
    blocks: str
    rows: str
    header_label: str
    from_year: int

    def matches(self, sheet_name: str) -> bool:
        return normalise_label(self.name) in normalise_label(sheet_name)


@dataclass(frozen=True)
class MeasureType:
    code: str
    printed: str  # as NAV prints it ("Midlertidig lønnstilskudd")
    measure_group: str
    valid_from: str  # "2023-12-01"
    valid_to: str  # "9999-12-31" while it exists


@dataclass(frozen=True)
class County:
    code: str  # "03"; Norway is "00", and NAV's two rows that are no county "98" and "99"
    official: str  # Statistics Norway's name, with the Sami and Kven names ("Nordland - Nordlánnda")
    printed: str  # as NAV's county tables print it most often ("Nordland - Nordlånnda")
    level: str  # national, county, other, unknown
    valid_from: str
    valid_to: str  # "9999-12-31" while it exists


@dataclass(frozen=True)
class Layout:
    months: tuple[str, ...]  # as NAV prints them, January first ("Januar")
    month_numbers: dict[str, int]  # folded month name -> 1..12
    main_groups: dict[str, str]  # folded label -> main group code (every spelling NAV uses)
    measure_groups: dict[str, str]  # folded label -> measure group code
    measure_type_labels: dict[str, str]  # folded label -> measure type code
    main_group_printed: dict[str, str]  # main group code -> as NAV prints it ("Nedsatt arbeidsevne, på tiltak")
    measure_group_printed: dict[str, str]  # measure group code -> as NAV prints it ("Avklaringstiltak")
    measure_types: tuple[MeasureType, ...]  # in NAV's order
    counties: tuple[County, ...]  # both county structures (the 2024 reform), in code order
    tables: dict[str, tuple[str, ...]]  # table code -> its measure groups (TILT100: "alle")
    sheets: tuple[Sheet, ...]
    words: dict[str, str]  # the layout's fixed words by role: total ("I alt"), average, suppressed ("*")

    @property
    def total(self) -> str:
        return self.words["total"]

    @property
    def average(self) -> str:
        return self.words["average"]

    @property
    def suppressed(self) -> str:
        return self.words["suppressed"]

    def month_name(self, number: int) -> str:
        return self.months[number - 1]

    def table_codes(self, title: str) -> tuple[str, str] | None:
        """(main group, measure group) named by a county table's title, or None.

        A title is a measure group label ("Oppfølging": all main groups) or a main group label, a comma and
        a measure group label ("Arbeidssøkere på tiltak, oppfølging").
        """
        wanted = normalise_label(title)
        if wanted in self.measure_groups:
            return "alle", self.measure_groups[wanted]
        for main_label, main_code in self.main_groups.items():
            head, sep, rest = wanted.partition(main_label + ",")
            if sep and not head and rest.strip() in self.measure_groups:
                return main_code, self.measure_groups[rest.strip()]
        return None

    def sheets_of(self, table_code: str) -> tuple[Sheet, ...]:
        return tuple(sheet for sheet in self.sheets if table_code in sheet.table_codes)

    def table_code_in(self, file_name: str) -> str | None:
        """NAV's table code a file's name carries ("202412_TILT110_Tidsserie_maaned.xlsx" -> TILT110)."""
        found = re.search("|".join(sorted(self.tables, key=len, reverse=True)), file_name.upper())
        return found.group() if found else None


def _rows(name: str, reference_dir: Path) -> list[dict[str, str]]:
    with open(reference_dir / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def read_layout(reference_dir: Path = REFERENCE_DIR) -> Layout:
    """NAV's layout from the reference seeds (read once per process)."""
    def labels(name: str, code: str) -> dict[str, str]:
        return {normalise_label(row["label"]): row[code] for row in _rows(name, reference_dir)}

    months = sorted(_rows("ref_months.csv", reference_dir), key=lambda row: int(row["month_number"]))
    main_groups = _rows("ref_main_groups.csv", reference_dir)
    measure_groups = _rows("ref_measure_groups.csv", reference_dir)
    tables: dict[str, list[str]] = {}
    for row in _rows("ref_nav_tables.csv", reference_dir):
        tables.setdefault(row["table_code"], []).append(row["measure_group_code"])
    return Layout(
        months=tuple(row["month_name_nb"] for row in months),
        month_numbers={normalise_label(row["month_name_nb"]): int(row["month_number"]) for row in months},
        main_groups=labels("ref_main_group_labels.csv", "main_group_code"),
        measure_groups=labels("ref_measure_group_labels.csv", "measure_group_code"),
        measure_type_labels=labels("ref_measure_type_labels.csv", "measure_type_code"),
        main_group_printed={row["main_group_code"]: row["printed_nb"] for row in main_groups if row["printed_nb"]},
        measure_group_printed={row["measure_group_code"]: row["printed_nb"] for row in measure_groups
                               if row["printed_nb"]},
        measure_types=tuple(
            MeasureType(row["measure_type_code"], row["measure_type_name_nb"], row["measure_group_code"],
                        row["valid_from"], row["valid_to"] or "9999-12-31")
            for row in sorted(_rows("ref_measure_types.csv", reference_dir), key=lambda row: int(row["sort_order"]))),
        counties=tuple(County(row["county_code"], row["official_name"], row["printed_nb"], row["geography_level"],
                              row["valid_from"], row["valid_to"] or "9999-12-31")
                       for row in sorted(_rows("ref_counties.csv", reference_dir), key=lambda row: row["county_code"])),
        tables={code: tuple(groups) for code, groups in tables.items()},
        sheets=tuple(Sheet(row["sheet_name"], tuple(row["table_codes"].split()), row["blocks"], row["rows"],
                           row["header_label"], int(row["from_year"]))
                     for row in _rows("ref_nav_sheets.csv", reference_dir)),
        words={row["role"]: row["label"] for row in _rows("ref_nav_labels.csv", reference_dir)},
    )
