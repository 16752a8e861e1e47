"""NAV's tables as Excel workbooks, laid out as NAV publishes them, for the default input and the tests.

- ``national_workbooks``: NAV's national figures (data/nav-national/, real numbers transcribed from NAV's
  own pipeline) as the workbooks NAV publishes per year since 2023: TILT100 (main group x measure group)
  and TILT110-TILT180 (a workbook per measure group, a row per measure type; TILT180 also holds the types of
  Tilrettelegging). As in NAV's files: an "Om tabellen" sheet before the data sheet, a merged title row and
  note rows, three blocks per sheet (one per main group) each opened by its month header and its "I alt
  ... på tiltak" row, a "Gjennomsnitt hittil i år" column before the months, numbers as numeric cells with
  a thousands format and `*` as text, and a running year (2026) whose later months are empty.
- ``county_tables_workbook``: a text document of county tables (the 2021 one) saved as a workbook: the same
  rows and cells on one sheet, numbers as numeric cells with a thousands format, `*` as text.

What NAV's files do not give is derived here and said so in the workbook and in data/raw/README.md: the "I
alt" rows (a TILT110-180 block's total is the TILT100 figure of its groups; a TILT100 block's total is the
sum of its groups, left empty where a group is `*`, since the true total is not known) and the
"Gjennomsnitt hittil i år" column (the rounded mean of the printed months, empty where a month is not a
number). Outside a measure type's validity (ref_measure_types.csv) its cells are empty, as in NAV's files.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from nav_tiltak.paths import PROJECT_DIR, REFERENCE_DIR

NATIONAL_DATA = PROJECT_DIR / "data" / "nav-national"
MONTHS = ["Januar", "Februar", "Mars", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Desember"]
AVERAGE = "Gjennomsnitt hittil i år"
THOUSANDS = "#,##0"
# NAV's pipeline's names for the main groups -> code, and the block total as the workbooks print it (with
# the variants NAV uses: a comma before "på tiltak", a final full stop).
MAIN_GROUPS = {"Arbeidssøkere": "arbeidssokere", "Nedsatt arbeidsevne": "nedsatt_arbeidsevne",
               "Andre på tiltak": "andre"}
BLOCK_TOTALS = {"arbeidssokere": "I alt arbeidssøkere på tiltak",
                "nedsatt_arbeidsevne": "I alt nedsatt arbeidsevne, på tiltak",
                "andre": "I alt andre på tiltak"}
MEASURE_GROUPS = {"Avklaringstiltak": "avklaring", "Oppfølging": "oppfolging", "Opplæring": "opplaering",
                  "Lønnstilskudd": "lonnstilskudd", "Arbeidspraksis": "arbeidspraksis",
                  "Arbeidsrettet rehabilitering": "arbeidsrettet_rehabilitering",
                  "Tilrettelagt arbeid": "tilrettelagt_arbeid", "Tilrettelegging": "tilrettelegging",
                  "Jobbskaping og egenetablering": "jobbskaping_og_egenetablering"}
TYPE_TABLES = {"TILT110": ["Lønnstilskudd"], "TILT120": ["Arbeidspraksis"], "TILT130": ["Opplæring"],
               "TILT140": ["Oppfølging"], "TILT150": ["Avklaringstiltak"],
               "TILT160": ["Arbeidsrettet rehabilitering"], "TILT170": ["Tilrettelagt arbeid"],
               "TILT180": ["Jobbskaping og egenetablering", "Tilrettelegging"]}
# File names carry a period prefix whose style NAV changed: 202312_..., 2026.04_...
PREFIXES = {2023: "202312", 2024: "202412", 2025: "202512", 2026: "2026.04"}
_FIXED_TIME = datetime.datetime(2026, 5, 1)  # so that the same figures give the same workbook contents


def _read_national(data_dir: Path):
    """The real figures: {(main, group, month): count or None} and {(main, group, type, month): ...};
    None is NAV's `*` (or a blank cell; see ref_measure_types for which)."""
    groups: dict[tuple[str, str, str], int | None] = {}
    with open(data_dir / "measure-groups-2023-01-to-2026-04.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["maalgruppe"], row["tiltaksgruppe"], row["periode"])
            groups[key] = int(row["antall"]) if row["antall"] else None
    types: dict[tuple[str, str, str, str], int | None] = {}
    with open(data_dir / "measure-types-2023-01-to-2026-04.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["maalgruppe"], row["tiltaksgruppe"], row["tiltakstype"], row["periode"])
            types[key] = int(row["antall"]) if row["antall"] else None
    return groups, types


def _measure_types() -> list[dict[str, str]]:
    with open(REFERENCE_DIR / "ref_measure_types.csv", encoding="utf-8", newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: int(row["sort_order"]))


def _average(values: list) -> int | None:
    """The rounded mean of a row's printed months, if each is a number (NAV derives this column)."""
    if not values or any(not isinstance(value, int) for value in values):
        return None
    return int(sum(values) / len(values) + 0.5)


def _sheet_title(sheet, title: str, note: str, width: int) -> None:
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([note])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A2"].alignment = Alignment(wrap_text=True)
    sheet.append([])


def _append_values(sheet, label: str, values: list) -> None:
    """A data row: label, year-to-date average, twelve months; numbers numeric with a thousands format,
    None (`*`) as the text "*", "" (not printed) as an empty cell."""
    average = _average([v for v in values if v != ""])
    row = [label, average, *(("*" if v is None else v) if v != "" else None for v in values)]
    sheet.append(row)
    for cell in sheet[sheet.max_row][1:]:
        if isinstance(cell.value, int):
            cell.number_format = THOUSANDS


def _write(workbook: Workbook, path: Path) -> None:
    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    workbook.properties.creator = "nav-tiltak (nav_tiltak/workbooks.py)"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def _new_workbook(code: str, year: int, last_month: int) -> tuple[Workbook, object]:
    workbook = Workbook()
    about = workbook.active
    about.title = "Om tabellen"
    for line in [
        f"{code}: Deltakere på arbeidsmarkedstiltak. Tidsserie måned {year}.",
        "Kilde: NAV. Antall personer på tiltak ved utgangen av måneden, hele landet.",
        "Verdier under 4 er erstattet med «*» (Statistikklovens § 7-1).",
        "Denne arbeidsboken er laget av nav-tiltak (nav_tiltak/workbooks.py) fra NAV's publiserte tall i "
        "data/nav-national/, i NAV's oppsett; «I alt»-radene og «Gjennomsnitt hittil i år» er avledet "
        "(se data/raw/README.md).",
        f"Perioden er januar-{MONTHS[last_month - 1].lower()} {year}." if last_month < 12 else "",
    ]:
        about.append([line])
    # The data sheet's name: TILT100's ends "tiltaks", the others' "tiltak" (names cut by Excel).
    name = "Arbeidsmarkedsstatus og tiltaks" if code == "TILT100" else "Arbeidsmarkedsstatus og tiltak"
    return workbook, workbook.create_sheet(name)


def national_workbooks(folder: Path, data_dir: Path = NATIONAL_DATA) -> list[Path]:
    """Write TILT100 and TILT110-TILT180 for every year of the national figures; returns the paths."""
    groups, types = _read_national(data_dir)
    months = sorted({key[-1] for key in groups})
    validity = {row["measure_type_name_nb"]: (row["valid_from"], row["valid_to"] or "9999-12-31")
                for row in _measure_types()}
    type_order = {row["measure_type_name_nb"]: index for index, row in enumerate(_measure_types())}
    written = []
    for year in sorted({int(month[:4]) for month in months}):
        year_months = [f"{year}-{m:02d}-01" for m in range(1, 13)]
        last = max(int(month[5:7]) for month in months if month.startswith(str(year)))
        printed = year_months[:last]

        # TILT100: a block per main group, a row per measure group printed that year.
        workbook, sheet = _new_workbook("TILT100", year, last)
        _sheet_title(sheet, f"TILT100: Deltakere på arbeidsmarkedstiltak etter målgruppe og hovedgruppe. "
                            f"Tidsserie måned {year}", "Hele landet. Antall personer ved utgangen av måneden.", 14)
        for main, main_code in MAIN_GROUPS.items():
            rows = [group for group in MEASURE_GROUPS
                    if any((main, group, month) in groups for month in printed)]
            if not rows:
                continue
            sheet.append(["Målgruppe og hovedgruppe", AVERAGE, *MONTHS])
            values = {group: [groups.get((main, group, month), 0) if month in printed else "" for month in year_months]
                      for group in rows}
            total = ["" if month >= last or any(values[g][month] is None for g in rows)
                     else sum(values[g][month] for g in rows) for month in range(12)]
            _append_values(sheet, BLOCK_TOTALS[main_code] + ("." if year == 2025 else ""), total)
            for group in rows:
                _append_values(sheet, group, values[group])
            sheet.append([])
        sheet.append(["* Verdier under 4 er skjult. Tom celle: ikke publisert."])
        path = folder / f"{PREFIXES[year]}_TILT100_Tidsserie_maaned.xlsx"
        _write(workbook, path)
        written.append(path)

        # TILT110-180: a block per main group with types of the table's groups, a row per type.
        for code, table_groups in TYPE_TABLES.items():
            workbook, sheet = _new_workbook(code, year, last)
            _sheet_title(sheet, f"{code}: Deltakere på arbeidsmarkedstiltak etter målgruppe og tiltakstype "
                                f"({', '.join(table_groups)}). Tidsserie måned {year}",
                         "Hele landet. Antall personer ved utgangen av måneden.", 14)
            for main, main_code in MAIN_GROUPS.items():
                rows = sorted({(group, kind) for (m, group, kind, month) in types
                               if m == main and group in table_groups and month in printed},
                              key=lambda row: type_order[row[1]])
                if not rows:
                    continue
                sheet.append(["Målgruppe og tiltakstype", AVERAGE, *MONTHS])

                def cell(group: str, kind: str, month: str, main: str = main, printed: list[str] = printed):
                    start, end = validity[kind]
                    if month not in printed or not start <= month <= end:
                        return ""  # not printed: after the running year's last month, or outside validity
                    return types.get((main, group, kind, month), 0)

                total = []
                for month in year_months:
                    parts = [groups.get((main, group, month), 0) for group in table_groups]
                    total.append("" if month not in printed or None in parts else sum(parts))
                label = BLOCK_TOTALS[main_code]
                if year == 2024:  # NAV also writes it with a comma: "I alt arbeidssøkere, på tiltak"
                    label = label.replace("e på tiltak", "e, på tiltak")
                _append_values(sheet, label, total)
                for group, kind in rows:
                    _append_values(sheet, kind, [cell(group, kind, month) for month in year_months])
                sheet.append([])
            sheet.append(["* Verdier under 4 er skjult. Tom celle: ikke publisert (tiltakstypen fantes ikke)."])
            path = folder / f"{PREFIXES[year]}_{code}_Tidsserie_maaned.xlsx"
            _write(workbook, path)
            written.append(path)
    return written


def county_tables_workbook(text: str, path: Path, sheet_name: str = "Ark1") -> Path:
    """A text document of county tables as a workbook: line n is row n; a table line's tab-separated
    cells are its columns (a month header starts with an empty cell); printed numbers ("3 704") become
    numeric cells with a thousands format, `*` stays text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    for number, line in enumerate(text.split("\n"), start=1):
        for column, value in enumerate(line.rstrip("\r").split("\t") if line.strip() else [], start=1):
            digits = value.replace(" ", "").replace("\u00a0", "")
            cell = sheet.cell(row=number, column=column)
            if digits.isdigit() and column > 1:
                cell.value = int(digits)
                cell.number_format = THOUSANDS
            else:
                cell.value = value if value else None
    for column in range(2, 14):
        sheet.column_dimensions[get_column_letter(column)].width = 9
    _write(workbook, path)
    return path
