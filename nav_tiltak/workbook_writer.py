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
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from nav_tiltak import ownership
from nav_tiltak.layout import Layout, normalise_label, read_layout
from nav_tiltak.paths import PROJECT_DIR

NATIONAL_DATA = PROJECT_DIR / "data" / "nav-national"
COUNTY_DATA = PROJECT_DIR / "data" / "nav-county"
THOUSANDS = "#,##0"
# File names carry a period prefix whose style NAV changed: 202312_..., 2026.04_...
PREFIXES = {2023: "202312", 2024: "202412", 2025: "202512", 2026: "2026.04"}
_FIXED_TIME = datetime.datetime(2026, 5, 1)  # so that the same figures give the same workbook contents


def read_national(data_dir: Path, layout: Layout):
    """The real figures by code: {(main, group, month): count or None} and {(main, group, type, month): ...};
    None is NAV's `*` (or a blank cell; see ref_measure_types for which)."""
    def count(row: dict[str, str]) -> int | None:
        return int(row["antall"]) if row["antall"] else None

    def codes(row: dict[str, str]) -> tuple[str, str]:
        return (layout.main_groups[normalise_label(row["maalgruppe"])],
                layout.measure_groups[normalise_label(row["tiltaksgruppe"])])

    with open(data_dir / "measure-groups-2023-01-to-2026-04.csv", encoding="utf-8", newline="") as handle:
        groups = {(*codes(row), row["periode"]): count(row) for row in csv.DictReader(handle)}
    with open(data_dir / "measure-types-2023-01-to-2026-04.csv", encoding="utf-8", newline="") as handle:
        types = {(*codes(row), layout.measure_type_labels[normalise_label(row["tiltakstype"])], row["periode"]):
                 count(row) for row in csv.DictReader(handle)}
    return groups, types


def read_areas(data_dir: Path, layout: Layout):
    """The real county and municipality figures: {(county, measure type, month): count} (no `*` among them)
    and {(municipality, measure type or "alle", month): count, or None for NAV's `*`}; a municipality and
    month with no row in NAV's sheet is not a key."""
    by_name = {county.official.split(" - ")[0]: county.code for county in layout.counties}
    counties = {}
    with open(data_dir / "lonnstilskudd-fylke-2024-01-to-2026-08.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            kind = layout.measure_type_labels[normalise_label(row["tiltak"])]
            counties[(by_name[row["fylke"]], kind, row["periode"])] = int(row["antall"])
    municipalities: dict[tuple[str, str, str], int | None] = {}
    names: dict[str, str] = {}
    with open(data_dir / "kommune-serie-2025-01-to-2026-08.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names[row["knr"]] = row["kommune"]
            for kind, value, starred in [("midlertidig_lonnstilskudd", row["mlt"], row["mlt_prikket"]),
                                         ("alle", row["alle"], row["alle_prikket"])]:
                if starred:  # "true" or "false": the municipality has a row that month
                    municipalities[(row["knr"], kind, row["periode"])] = None if starred == "true" else int(value)
    return counties, municipalities, names


def _average(values: list) -> int | None:
    """The rounded mean of a row's printed months, if each is a number (NAV derives this column)."""
    if not values or any(not isinstance(value, int) for value in values):
        return None
    return int(sum(values) / len(values) + 0.5)


def sheet_title(sheet, title: str, note: str, width: int) -> None:
    """A sheet's first rows: a bold title and a wrapped note, each merged across ``width`` columns, then an
    empty row. For an ordinary and a write-only (streamed) sheet alike."""
    heading = Cell(sheet, row=1, column=1, value=title)
    heading.font = Font(bold=True, size=12)
    wrapped = Cell(sheet, row=1, column=1, value=note)
    wrapped.alignment = Alignment(wrap_text=True)
    for row, cell in enumerate([heading, wrapped], start=1):
        sheet.append([cell])
        merged = CellRange(min_col=1, min_row=row, max_col=width, max_row=row)
        if hasattr(sheet, "merge_cells"):
            sheet.merge_cells(merged.coord)
        else:  # a write-only sheet writes its merged ranges after its rows
            sheet.merged_cells.add(merged)
    sheet.append([])


def append_values(sheet, label: str, values: list) -> None:
    """A data row: label, year-to-date average, twelve months; numbers numeric with a thousands format,
    None (`*`) as the text "*", "" (not printed) as an empty cell. For an ordinary and a write-only sheet."""
    average = _average([v for v in values if v != ""])
    sheet.append([label, None if average is None else _number(sheet, average),
                  *(_number(sheet, v) if isinstance(v, int) else ("*" if v is None else None) for v in values)])


def _number(sheet, value: int) -> Cell:
    cell = Cell(sheet, row=1, column=1, value=value)
    cell.number_format = THOUSANDS
    return cell


def save(workbook: Workbook, path: Path, creator: str = "nav-tiltak (nav_tiltak/workbook_writer.py)") -> None:
    """Save ``workbook`` to ``path`` in one rename; a file there is replaced only if the project wrote it (its
    creator is nav-tiltak), never through a link (else ownership.NotOurs, and nothing is written)."""
    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    workbook.properties.creator = creator
    buffer = io.BytesIO()
    workbook.save(buffer)
    ownership.write_file(path, buffer.getvalue(), written_by_us)


def written_by_us(path: Path) -> bool:
    """Whether the workbook at ``path`` says that nav-tiltak wrote it (its document properties' creator)."""
    try:
        with zipfile.ZipFile(path) as archive:
            properties = archive.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return re.search(rb"<dc:creator>nav-tiltak[ <]", properties) is not None


SOURCE_NOTE = ("Denne arbeidsboken er laget av nav-tiltak (nav_tiltak/workbook_writer.py) fra NAV's publiserte tall i "
               "data/nav-national/, i NAV's oppsett; «{total}»-radene og «{average}» er avledet (se "
               "data/raw/README.md).")


def new_workbook(code: str, year: int, last_month: int, layout: Layout, write_only: bool = False,
                 source_note: str = SOURCE_NOTE) -> tuple[Workbook, object, str]:
    """A workbook with its notes sheet and its (empty) national sheet, and the national sheet's header label.
    ``write_only``: streamed sheets (openpyxl's write-only mode), written row by row, much faster for large
    sheets; ``source_note`` says where the figures come from ({total} and {average}: the layout's words)."""
    workbook = Workbook(write_only=write_only)
    (notes,) = (sheet for sheet in layout.sheets_of(code) if sheet.blocks == "notes")
    (national,) = (sheet for sheet in layout.sheets_of(code) if sheet.blocks == "main_group")
    if write_only:
        about = workbook.create_sheet(notes.name)
    else:
        about = workbook.active
        about.title = notes.name
    for line in [
        f"{code}: Deltakere på arbeidsmarkedstiltak. Tidsserie måned {year}.",
        "Kilde: NAV. Antall personer på tiltak ved utgangen av måneden, hele landet.",
        f"Verdier under 4 er erstattet med «{layout.suppressed}» (Statistikklovens § 7-1).",
        source_note.format(total=layout.total, average=layout.average),
        f"Perioden er januar-{layout.month_name(last_month).lower()} {year}." if last_month < 12 else "",
    ]:
        about.append([line])
    return workbook, workbook.create_sheet(national.name), national.header_label


def block_total(layout: Layout, main_group: str) -> str:
    """A national block's total as NAV prints it: "I alt nedsatt arbeidsevne, på tiltak"."""
    printed = layout.main_group_printed[main_group]
    return f"{layout.total} {printed[0].lower()}{printed[1:]}"


def national_title(sheet, code: str, year: int, layout: Layout) -> None:
    """A national sheet's title rows, as NAV words them for TILT100 and for TILT110-TILT180."""
    if code == "TILT100":
        title = "TILT100: Deltakere på arbeidsmarkedstiltak etter målgruppe og hovedgruppe"
    else:
        names = ", ".join(layout.measure_group_printed[group] for group in layout.tables[code])
        title = f"{code}: Deltakere på arbeidsmarkedstiltak etter målgruppe og tiltakstype ({names})"
    sheet_title(sheet, f"{title}. Tidsserie måned {year}", "Hele landet. Antall personer ved utgangen av måneden.", 14)


def footnote(layout: Layout, why: str = "") -> list[str]:
    """A sheet's last row: what `*` and an empty cell mean (``why``: what else an empty cell says)."""
    return [f"{layout.suppressed} Verdier under 4 er skjult. Tom celle: ikke publisert{why}."]


def append_block(sheet, label: str, total: list, rows: list[tuple[str, list]]) -> None:
    """A block's "I alt" row, a row per group, type or geography, then an empty row."""
    append_values(sheet, label, total)
    for row_label, values in rows:
        append_values(sheet, row_label, values)
    sheet.append([])


def national_block(sheet, header: str, layout: Layout, label: str, total: list, rows: list[tuple[str, list]]) -> None:
    """A national sheet's block: its month header, then the block."""
    sheet.append([header, layout.average, *layout.months])
    append_block(sheet, label, total, rows)


def _lower_first(text: str) -> str:
    """A measure type's name inside a sentence: its first letter in lower case, unless its first word is an
    acronym ("AMO Kurs")."""
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[0].lower() + text[1:]


def area_block_label(layout: Layout, kind: str) -> str:
    """A county or municipality block's "I alt" label: "I alt midlertidig lønnstilskudd" for a measure type,
    "I alt tiltaksdeltakere" for all measures together ("alle", TILT100's municipality sheet)."""
    printed = "tiltaksdeltakere" if kind == "alle" else next(t.printed for t in layout.measure_types if t.code == kind)
    return f"{layout.total} {_lower_first(printed)}"


def county_rows(layout: Layout, day: str) -> list[tuple[str, str]]:
    """A county sheet's rows in NAV's order, (county code, label): each county valid on ``day`` with its
    number ("03 Oslo"), then NAV's rows that are no county, "Svalbard og øvrige områder" (98), "Ukjent" (99)."""
    counties = [(county.code, f"{county.code} {county.official}") for county in layout.counties
                if county.level == "county" and county.valid_from <= day <= county.valid_to]
    others = [county for county in layout.counties if county.level in ("other", "unknown")]
    return counties + [(others[0].code, f"Svalbard og {others[0].printed.lower()}"),
                       *((county.code, county.printed) for county in others[1:])]


def area_sheet(workbook: Workbook, code: str, rows_are: str, year: int, blocks: list[tuple[str, list, list]],
               layout: Layout) -> None:
    """A county or municipality sheet: a title, one month header above the first block, then each block
    (its "I alt" label and values, then a row per geography, each a label and twelve values)."""
    (kind,) = (sheet for sheet in layout.sheets_of(code) if sheet.rows == rows_are and sheet.blocks != "main_group")
    sheet = workbook.create_sheet(kind.name)
    place = "fylke" if rows_are == "county" else "kommune"
    sheet_title(sheet, f"{code}: Deltakere på arbeidsmarkedstiltak etter tiltakstype og {place}. Tidsserie måned "
                       f"{year}", "Alle målgrupper. Antall personer ved utgangen av måneden.", 14)
    sheet.append([kind.header_label, layout.average, *layout.months])
    for label, total, rows in blocks:
        append_block(sheet, label, total, rows)
    sheet.append(footnote(layout))


def _area_blocks(code: str, year: int, printed: list[str], year_months: list[str], national, areas,
                 layout: Layout) -> dict[str, list[tuple[str, list, list]]]:
    """The county and municipality sheets' blocks of a workbook, by what their rows are, from the real
    figures where the source has them (data/nav-county): a block's "I alt" row is the national figure of its
    measure type (the national sheet's three main groups added up, empty where one is `*`); the county rows
    "Svalbard og øvrige områder" and "Ukjent", which the source drops, are printed empty (not printed)."""
    groups, types = national
    counties, municipalities, names = areas
    mains = list(layout.main_group_printed)

    def national_total(kind: str, month: str) -> int | str:
        if kind == "alle":
            parts = [groups.get((main, group, month), 0) for main in mains for group in layout.measure_group_printed]
        else:
            group = next(t.measure_group for t in layout.measure_types if t.code == kind)
            parts = [types.get((main, group, kind, month), 0) for main in mains]
        return "" if month not in printed or None in parts else sum(parts)

    blocks: dict[str, list[tuple[str, list, list]]] = {"county": [], "municipality": []}
    geographies = county_rows(layout, year_months[0])
    for kind in [t for t in layout.measure_types if t.measure_group in layout.tables[code]]:
        total = [national_total(kind.code, month) for month in year_months]
        rows = [(label, [counties.get((county, kind.code, month), "") if month in printed else ""
                         for month in year_months]) for county, label in geographies]
        if any(value != "" for _, values in rows for value in values):
            # "Svalbard og øvrige områder" and "Ukjent", which the source drops: printed empty (not printed)
            blocks["county"].append((area_block_label(layout, kind.code), total, rows))
    municipality_kinds = ["alle"] if code == "TILT100" else [t.code for t in layout.measure_types
                                                              if t.measure_group in layout.tables[code]]
    for kind in municipality_kinds:
        held = sorted({knr for (knr, k, month) in municipalities if k == kind and month in printed})
        if not held:
            continue
        # A municipality with no row in a month of the year is left empty that month (not printed): the
        # source does not say whether NAV printed nothing or left the row out; a year without a row is left out.
        rows = [(f"{knr} {names[knr]}", [municipalities.get((knr, kind, month), "") if month in printed else ""
                                         for month in year_months]) for knr in held]
        blocks["municipality"].append((area_block_label(layout, kind),
                                       [national_total(kind, month) for month in year_months], rows))
    return blocks


def national_workbooks(folder: Path, data_dir: Path = NATIONAL_DATA, area_dir: Path = COUNTY_DATA) -> list[Path]:
    """Write TILT100 and TILT110-TILT180 for every year of the national figures, with their county and
    municipality sheets where data/nav-county has their figures; returns the paths."""
    layout = read_layout()
    groups, types = read_national(data_dir, layout)
    areas = read_areas(area_dir, layout)
    months = sorted({key[-1] for key in groups})
    validity = {kind.code: (kind.valid_from, kind.valid_to) for kind in layout.measure_types}
    type_order = {kind.code: index for index, kind in enumerate(layout.measure_types)}
    main_groups = list(layout.main_group_printed)  # in NAV's order
    measure_groups = list(layout.measure_group_printed)
    written = []
    for year in sorted({int(month[:4]) for month in months}):
        year_months = [f"{year}-{m:02d}-01" for m in range(1, 13)]
        last = max(int(month[5:7]) for month in months if month.startswith(str(year)))
        printed = year_months[:last]

        # TILT100: a block per main group, a row per measure group printed that year.
        workbook, sheet, header = new_workbook("TILT100", year, last, layout)
        national_title(sheet, "TILT100", year, layout)
        for main in main_groups:
            rows = [group for group in measure_groups if any((main, group, month) in groups for month in printed)]
            if not rows:
                continue
            values = {group: [groups.get((main, group, month), 0) if month in printed else "" for month in year_months]
                      for group in rows}
            total = ["" if month >= last or any(values[g][month] is None for g in rows)
                     else sum(values[g][month] for g in rows) for month in range(12)]
            national_block(sheet, header, layout, block_total(layout, main) + ("." if year == 2025 else ""), total,
                           [(layout.measure_group_printed[group], values[group]) for group in rows])
        sheet.append(footnote(layout))
        for rows_are, blocks in _area_blocks("TILT100", year, printed, year_months, (groups, types), areas,
                                             layout).items():
            if blocks:
                area_sheet(workbook, "TILT100", rows_are, year, blocks, layout)
        path = folder / f"{PREFIXES[year]}_TILT100_Tidsserie_maaned.xlsx"
        save(workbook, path)
        written.append(path)

        # TILT110-180: a block per main group with types of the table's groups, a row per type.
        for code, table_groups in layout.tables.items():
            if code == "TILT100":
                continue
            workbook, sheet, header = new_workbook(code, year, last, layout)
            national_title(sheet, code, year, layout)
            for main in main_groups:
                rows = sorted({(group, kind) for (m, group, kind, month) in types
                               if m == main and group in table_groups and month in printed},
                              key=lambda row: type_order[row[1]])
                if not rows:
                    continue

                def cell(group: str, kind: str, month: str, main: str = main, printed: list[str] = printed):
                    start, end = validity[kind]
                    if month not in printed or not start <= month <= end:
                        return ""  # not printed: after the running year's last month, or outside validity
                    return types.get((main, group, kind, month), 0)

                total = []
                for month in year_months:
                    parts = [groups.get((main, group, month), 0) for group in table_groups]
                    total.append("" if month not in printed or None in parts else sum(parts))
                label = block_total(layout, main)
                if year == 2024:  # NAV also writes it with a comma: "I alt arbeidssøkere, på tiltak"
                    label = label.replace("e på tiltak", "e, på tiltak")
                national_block(sheet, header, layout, label, total,
                               [(next(t.printed for t in layout.measure_types if t.code == kind),
                                 [cell(group, kind, month) for month in year_months]) for group, kind in rows])
            sheet.append(footnote(layout, " (tiltakstypen fantes ikke)"))
            for rows_are, blocks in _area_blocks(code, year, printed, year_months, (groups, types), areas,
                                                 layout).items():
                if blocks:
                    area_sheet(workbook, code, rows_are, year, blocks, layout)
            path = folder / f"{PREFIXES[year]}_{code}_Tidsserie_maaned.xlsx"
            save(workbook, path)
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
    save(workbook, path)
    return path
