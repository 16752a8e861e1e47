"""Reading NAV's workbooks into printed cells: which sheets a workbook has and what they hold (NAV's layout:
``nav_tiltak.layout``, seeds/reference/ref_nav_sheets.csv), and each sheet's blocks.

- A NAV table (TILT100 ... TILT180 in the file's name, with its period: 202412_, 2026.04_): its national
  sheet, "Arbeidsmarkedsstatus og tiltak(s)": blocks, one per main group, each opened by its month header
  ("Gjennomsnitt hittil i år", Januar ... Desember) directly above its "I alt <main group> på tiltak" row,
  then a row per measure group (TILT100) or measure type (TILT110-180) until an empty label.
- Any other workbook: county tables saved from a text document, one sheet read as that text
  (``workbook_text``, then ``nav_tiltak.parse``).

A hidden sheet is never read; faults name the cell, FILE:SHEET!CELL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from nav_tiltak.document import MAX_LABEL, SUPPRESSED, Document, Table, count_of, is_value, value_fault
from nav_tiltak.layout import Layout, Sheet, normalise_label
from nav_tiltak.messages import ParseError, shown
from nav_tiltak.parse import parse
from nav_tiltak.xlsx import Workbook, open_workbook

# A NAV workbook's name starts with its period, the year and the latest month: 202312_ or 2026.04_.
_PERIOD_PREFIX = re.compile(r"^(\d{4})\.?(\d{2})_")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "januar - april 2026": from a word's start, without backtracking (possessive), so that a long run of letters
# in a cell costs its length, not its square.
_PERIOD_IN_TEXT = re.compile(r"(?<![A-Za-zæøåÆØÅ])(?P<first>[A-Za-zæøåÆØÅ]++)\s*+[-–]\s*+(?P<last>[A-Za-zæøåÆØÅ]++)"
                             r"\s++(?P<year>\d{4})")


def column_letter(column: int) -> str:
    """A spreadsheet column's letters: 1 -> A, 27 -> AA."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def read_workbook(data: bytes, source_name: str, layout: Layout) -> Document:
    """A workbook's printed cells: a NAV table's data sheet, or county tables saved as a workbook."""
    workbook = open_workbook(data, source_name)
    code = layout.table_code_in(source_name)
    if code is None:
        return _county_tables(workbook, layout)
    period = _PERIOD_PREFIX.match(source_name)
    if period is None or not 1 <= int(period[2]) <= 12:
        raise ParseError(source_name, None, "a NAV national workbook's name starts with its period, the year and "
                                            "the latest month, as 202312_ or 2026.04_")
    year, month = int(period[1]), int(period[2])
    kind, sheet = _data_sheet(workbook, code, layout)
    rows = workbook.rows(sheet)
    _check_period_printed(workbook, sheet, rows, year, month, period[0].rstrip("_"), layout)
    national = _NationalSheet(rows, workbook.source_name, sheet, kind, code, year, month, layout).read()
    areas = _area_sheets(workbook, code, layout)
    tables = [table for area, name in areas
              for table in _AreaSheet(workbook.rows(name), workbook.source_name, name, area, code, year, month,
                                      layout).read()]
    known = {sheet, *(name for _, name in areas)} | {name for name in workbook.sheet_names for notes in
                                                      layout.sheets_of(code) if notes.blocks == "notes" and
                                                      notes.matches(name)}
    not_read = tuple(name for name in workbook.sheet_names if name in workbook.visible and name not in known)
    hidden = tuple(name for name in workbook.sheet_names if name not in workbook.visible)
    return replace(national, tables=national.tables + tuple(tables), sheets_not_read=not_read, sheets_hidden=hidden)


def _data_sheet(workbook: Workbook, code: str, layout: Layout) -> tuple[Sheet, str]:
    """The one visible sheet holding a NAV table's national figures (refused: none, or more than one)."""
    kinds = [kind for kind in layout.sheets_of(code) if kind.blocks == "main_group"]
    visible = [name for name in workbook.sheet_names if name in workbook.visible]
    candidates = [(kind, name) for name in visible for kind in kinds if kind.matches(name)]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        names = ", ".join(name for _, name in candidates)
        raise ParseError(workbook.source_name, None, f"more than one sheet could be the data: {shown(names, 200)}; "
                                                     "keep one")
    hidden = [name for name in workbook.sheet_names if name not in workbook.visible]
    raise ParseError(workbook.source_name, None,
                     f'no visible sheet named like "{kinds[0].name}" (the sheets: {shown(", ".join(visible), 200)}'
                     + (f"; hidden, never read: {shown(', '.join(hidden), 100)}" if hidden else "") + ")")


def _area_sheets(workbook: Workbook, code: str, layout: Layout) -> list[tuple[Sheet, str]]:
    """The visible county and municipality sheets of a NAV table (a kind at most once; hidden: never read)."""
    found = []
    for kind in layout.sheets_of(code):
        if kind.blocks not in ("measure_type", "all_measures"):
            continue
        names = [name for name in workbook.sheet_names if name in workbook.visible and kind.matches(name)]
        if len(names) > 1:
            raise ParseError(workbook.source_name, None, f'more than one sheet could be "{kind.name}": '
                                                         f"{shown(', '.join(names), 200)}; keep one")
        found.extend((kind, name) for name in names)
    return found


def _check_period_printed(workbook: Workbook, sheet: str, rows: list[list[object]], year: int, month: int,
                          prefix: str, layout: Layout) -> None:
    """The period a workbook's name gives must be the one its own sheets print: every year named in the data
    sheet's title rows (above its first month header; else in the first rows of its other visible sheets)
    is the name's year, and a period such as "januar-april 2026" on any sheet ends with the name's month."""
    named: dict[bool, list[tuple[str, int]]] = {True: [], False: []}  # on the data sheet or not: (cell, year)
    ends: list[tuple[str, int]] = []  # (cell, the month a period of the name's year ends with)
    average = normalise_label(layout.average)
    for name in [sheet, *(other for other in workbook.sheet_names if other != sheet and other in workbook.visible)]:
        for number, row in enumerate(rows if name == sheet else workbook.rows(name)[:30], start=1):
            if name == sheet and len(row) > 1 and normalise_label(str(row[1] or "")) == average:
                break  # the first month header: below it are the blocks
            for column, value in enumerate(row, start=1):
                if isinstance(value, str):
                    where = f"{name}!{column_letter(column)}{number}"
                    named[name == sheet].extend((where, int(found)) for found in _YEAR.findall(value))
                    ends.extend((where, last) for found in _PERIOD_IN_TEXT.finditer(value)
                                if int(found["year"]) == year and (last := _last_month(found, layout)))
    years = named[True] or named[False]
    if not years:
        raise ParseError(workbook.source_name, sheet, f"its name gives the period {prefix} (the year {year}), but no "
                                                      "title in the workbook names a year: cannot check that the "
                                                      "figures are that year's")
    for where, found in years:
        if found != year:
            raise ParseError(workbook.source_name, where, f"names the year {found}, but the file's name gives {prefix} "
                                                          f"(the year {year}): refusing to publish one year's figures "
                                                          "as another's")
    for where, last in ends:
        if last != month:
            raise ParseError(workbook.source_name, where,
                             f"prints a period ending in {layout.month_name(last)}, but the file's name gives {prefix} "
                             f"({layout.month_name(month)}): refusing to publish one period's figures as another's")


def _last_month(period: re.Match[str], layout: Layout) -> int | None:
    """The last month of a period such as "januar-april" (None if it does not name two months)."""
    first, last = (layout.month_numbers.get(normalise_label(period[part])) for part in ("first", "last"))
    return last if first and last else None


@dataclass
class _SheetReader:
    """A sheet of a NAV table's workbook being read: its rows, where it is, and what the file's name says."""

    rows: list[list[object]]
    source_name: str
    sheet: str
    kind: Sheet
    table_code: str
    year: int
    last_month: int
    layout: Layout

    def error(self, row: int, column: int, message: str) -> ParseError:
        return ParseError(self.source_name, f"{self.sheet}!{column_letter(column)}{row}", message)

    def check_value(self, label: str, value: str, month: int, row: int, column: int) -> None:
        """A month's cell is empty, a count or `*`, and printed no later than the file's name allows."""
        if value and not is_value(value):
            raise self.error(row, column, f'row "{shown(label)}", {self.layout.month_name(month)}: '
                                          f'"{shown(value)}" {value_fault(value, empty_allowed=True)}')
        if value and month > self.last_month:
            raise self.error(row, column, f'row "{shown(label)}" prints {self.layout.month_name(month)}, after '
                                          f"the period the file's name gives "
                                          f"({self.layout.month_name(self.last_month)} {self.year})")


@dataclass
class _NationalSheet(_SheetReader):
    """A NAV table's national sheet, read block by block."""

    @property
    def months_named(self) -> str:
        return f"{self.layout.months[0]} ... {self.layout.months[-1]}"

    def read(self) -> Document:
        """Blocks, one per main group, each opened by its month header directly above its "I alt <main group>
        på tiltak" row, then a row per measure group or type until an empty label. Every month up to the
        name's must be printed somewhere, and none after it (a running year's later months are empty); the
        year-to-date average is checked against the months, never read as a month."""
        texts = [[cell_text(value) for value in row] + [""] * (14 - len(row)) for row in self.rows]
        self.title = next((cells[0] for cells in texts if cells[0]), self.table_code)
        self.printed_months: set[int] = set()
        tables: list[Table] = []
        seen: dict[str, int] = {}
        index = 0
        while index < len(texts):
            main_group = self.block_total(texts[index][0], index + 1)
            if main_group is None:
                index += 1
                continue
            self.check_header(texts, index)
            if main_group in seen:
                raise self.error(index + 1, 1, f'a second block for "{shown(texts[index][0])}" (the first is at row '
                                               f"{seen[main_group]})")
            seen[main_group] = index + 1
            table, index = self.block(texts, index, main_group)
            tables.append(table)
        if not tables:
            raise ParseError(self.source_name, self.sheet,
                             f'no blocks found: expected a month header ("{self.layout.average}", {self.months_named}) '
                             f'directly above an "{self.layout.total} ... på tiltak" row')
        first, last = self.layout.months[0], self.layout.month_name(self.last_month)
        missing = [self.layout.month_name(m) for m in range(1, self.last_month + 1) if m not in self.printed_months]
        if missing:
            raise ParseError(self.source_name, self.sheet,
                             f"the file's name gives the period {first} - {last} {self.year}, but no row prints "
                             f"{', '.join(missing)}: the workbook stops short")
        months = tuple(range(1, self.last_month + 1))
        return Document(self.source_name, f"{first} - {last} {self.year}", None,
                        self.year, months, tuple(tables), "national", self.table_code)

    def block_total(self, label: str, row: int) -> str | None:
        """The main group a block's total row ("I alt arbeidssøkere på tiltak", a final full stop allowed)
        names; None for any other row; refused: an "I alt" row naming no known main group."""
        folded = normalise_label(label)
        total = normalise_label(self.layout.total) + " "
        if not folded.startswith(total):
            return None
        named = folded[len(total):].removesuffix(".")
        if named not in self.layout.main_groups:
            raise self.error(row, 1, f'"{shown(label)}" names no known main group (see '
                                     "seeds/reference/ref_main_group_labels.csv)")
        return self.layout.main_groups[named]

    def check_header(self, texts: list[list[str]], index: int) -> None:
        """The row above a block's total is its month header: the average, then Januar ... Desember."""
        header = texts[index - 1] if index else []
        months = [normalise_label(cell) for cell in header[2:14]]
        if not header or normalise_label(header[1]) != normalise_label(self.layout.average) or months != [
                normalise_label(name) for name in self.layout.months]:
            raise self.error(max(index, 1), 2, f'the row above "{shown(texts[index][0])}" is not its month header '
                                               f'("{self.layout.average}", {self.months_named} in columns B-N)')

    def block(self, texts: list[list[str]], index: int, main_group: str) -> tuple[Table, int]:
        """The block whose total is at ``index``: its rows until an empty label (or the next block)."""
        header_row = index  # the row above, 1-based
        labels, lines, values = [], [], []
        folded: set[str] = set()
        average = normalise_label(self.layout.average)
        while index < len(texts) and texts[index][0]:
            cells = texts[index]
            if labels and normalise_label(cells[1]) == average:
                break  # the next block's month header, with no empty row before it
            if len(cells[0]) > MAX_LABEL:
                raise self.error(index + 1, 1, f'row label "{shown(cells[0])}" is longer than {MAX_LABEL} characters')
            if labels and normalise_label(cells[0]).startswith(normalise_label(self.layout.total) + " "):
                break  # the next block's total without an empty row between: its header was this block's row
            if normalise_label(cells[0]) in folded:
                raise self.error(index + 1, 1, f'row "{shown(cells[0])}" is printed twice in this block')
            folded.add(normalise_label(cells[0]))
            labels.append(cells[0])
            lines.append(index + 1)
            values.append("\t".join(self.row_values(cells, index + 1)))
            index += 1
        if len(labels) < 2:
            raise self.error(index, 1, f'the block "{shown(labels[0])}" has no rows below its total')
        table = Table(self.title, 1, main_group, "alle", self.layout.months[:self.last_month],
                      tuple(range(1, self.last_month + 1)), header_row, tuple(labels), tuple(lines), tuple(values),
                      self.kind.rows, self.sheet, 3)
        return table, index

    def row_values(self, cells: list[str], row: int) -> list[str]:
        """A row's months as printed, up to the name's month (checked: values, months, the average)."""
        row_values = []
        for column, value in enumerate(cells[2:14], start=3):
            month = column - 2
            self.check_value(cells[0], value, month, row, column)
            if value:
                self.printed_months.add(month)
            row_values.append(value)
        _check_average(cells, row_values[:self.last_month], row, self.error, self.layout)
        return row_values[:self.last_month]


def _check_average(cells: list[str], values: list[str], row: int, error, layout: Layout) -> None:
    """NAV's "Gjennomsnitt hittil i år" (column B) is the mean of the row's months so far: where it and
    every month are printed, it must lie within the bounds the months give (a `*` is 0..3), rounded."""
    average = cells[1]
    if not average or not values or any(not value for value in values):
        return
    lows = [0 if value == SUPPRESSED else count_of(value) for value in values]
    highs = [3 if value == SUPPRESSED else low for value, low in zip(values, lows, strict=True)]
    low, high = sum(lows) / len(values) - 0.5, sum(highs) / len(values) + 0.5
    if average == SUPPRESSED:
        if low >= 3.5:
            raise error(row, 2, f'row "{shown(cells[0])}": the average is printed "*", but its months '
                                     f"average {sum(lows) / len(values):,.1f}")
        return
    if not is_value(average):
        raise error(row, 2, f'row "{shown(cells[0])}": the average "{shown(average)}" is not a whole number')
    printed = count_of(average)
    if not low <= printed <= high:
        def number(x: float) -> str:
            return f"{x:,.1f}".replace(",", " ")

        shown_range = number(low + 0.5) if low + 1 == high else f"{number(low + 0.5)}..{number(high - 0.5)}"
        raise error(row, 2, f'row "{shown(cells[0])}": "{layout.average}" is {average}, but its '
                                 f"{len(values)} months average {shown_range}")


@dataclass
class _AreaSheet(_SheetReader):
    """A county or municipality sheet of a NAV table: blocks, one per measure type ("I alt midlertidig
    lønnstilskudd") or one for all measures ("Tiltaksdeltakere og kommune"), each under the nearest month
    header above it (its second cell "Gjennomsnitt hittil i år", months from the third; a column with an
    empty header is not read), its "I alt" row then a row per geography until the first empty label."""

    def read(self) -> list[Table]:
        texts = [[cell_text(value) for value in row] for row in self.rows]
        average, total = normalise_label(self.layout.average), normalise_label(self.layout.total)
        header: int | None = None
        tables: list[Table] = []
        seen: dict[tuple[str, str], int] = {}
        index = 0
        while index < len(texts):
            cells = texts[index] + ["", ""]
            folded = normalise_label(cells[0])
            if normalise_label(cells[1]) == average:
                header = index
            if folded != total and not folded.startswith(total + " "):
                index += 1
                continue
            codes = self.block_codes(cells[0], folded[len(total):].strip(), index + 1)
            if header is None:
                raise self.error(index + 1, 1, f'the block "{shown(cells[0])}" has no month header above it (a row '
                                               f'whose second cell is "{self.layout.average}")')
            if codes in seen:
                raise self.error(index + 1, 1, f'a second block for "{shown(cells[0])}" (the first is at row '
                                               f"{seen[codes]})")
            seen[codes] = index + 1
            table, index = self.block(texts, index, header, codes)
            tables.append(table)
        if not tables:
            raise ParseError(self.source_name, self.sheet, f'no blocks found: expected a month header and an '
                                                           f'"{self.layout.total} ..." row below it')
        return tables

    def block_codes(self, label: str, named: str, row: int) -> tuple[str, str]:
        """(measure group, measure type) a block's "I alt" row names: a measure type of the table's groups,
        or, on a sheet of all measures, all of them ("alle", "alle")."""
        if self.kind.blocks == "all_measures":
            if not named or self.layout.measure_groups.get(named.removesuffix(".")) == "alle":
                return "alle", "alle"
            raise self.error(row, 1, f'"{shown(label)}" is not a block of all measures together (see '
                                     "seeds/reference/ref_measure_group_labels.csv)")
        code = self.layout.measure_type_labels.get(named.removesuffix("."))
        groups = self.layout.tables[self.table_code]
        group = next((kind.measure_group for kind in self.layout.measure_types if kind.code == code), None)
        if group not in groups:
            raise self.error(row, 1, f'"{shown(label)}" names no measure type of {self.table_code} (see '
                                     "seeds/reference/ref_measure_type_labels.csv)")
        return group, code

    def header_months(self, cells: list[str], row: int) -> tuple[int, list[int]]:
        """The column of the header's first month and the months it names, in adjacent columns from the
        third; a column with an empty header is left out (NAV's 2026 files have one after the months)."""
        named = []
        for column, text in enumerate(cells[2:], start=3):
            if not text:
                continue
            month = self.layout.month_numbers.get(normalise_label(text))
            if month is None:
                raise self.error(row, column, f'the month header has "{shown(text)}", which is neither a month name '
                                              "nor empty")
            named.append((column, month))
        columns = [column for column, _ in named]
        months = [month for _, month in named]
        if not named or columns != list(range(columns[0], columns[0] + len(columns))) or months != sorted(set(months)):
            raise self.error(row, 3, "the month header's months are not in adjacent columns, one each, in order")
        return columns[0], months

    def block(self, texts: list[list[str]], index: int, header: int, codes: tuple[str, str]) -> tuple[Table, int]:
        """The block whose "I alt" row is at ``index``: its rows until an empty label."""
        first_column, months = self.header_months(texts[header], header + 1)
        kept = [month for month in months if month <= self.last_month]
        labels, lines, values = [], [], []
        folded: set[str] = set()
        while index < len(texts) and texts[index] and texts[index][0]:
            cells = texts[index] + [""] * (first_column - 1 + len(months) - len(texts[index]))
            row = index + 1
            if len(cells[0]) > MAX_LABEL:
                raise self.error(row, 1, f'row label "{shown(cells[0])}" is longer than {MAX_LABEL} characters')
            if normalise_label(cells[0]) in folded:
                raise self.error(row, 1, f'row "{shown(cells[0])}" is printed twice in this block')
            folded.add(normalise_label(cells[0]))
            row_values = []
            for offset, month in enumerate(months):
                column = first_column + offset
                value = cells[column - 1]
                self.check_value(cells[0], value, month, row, column)
                if month <= self.last_month:
                    row_values.append(value)
            _check_average(cells, row_values, row, self.error, self.layout)
            labels.append(cells[0])
            lines.append(row)
            values.append("\t".join(row_values))
            index += 1
        if len(labels) < 2:
            raise self.error(index, 1, f'the block "{shown(labels[0])}" has no rows below its total')
        # The blocks of a sheet share its month header: a block is keyed by its first row instead.
        table = Table(labels[0], lines[0], "alle", codes[0], tuple(self.layout.month_name(m) for m in kept),
                      tuple(kept), lines[0], tuple(labels), tuple(lines), tuple(values), self.kind.rows,
                      self.sheet, first_column, codes[1])
        return table, index


def cell_text(value: object) -> str:
    """A workbook cell as printed: a whole number as NAV prints it ("3 704"), text as it is, "" if empty;
    anything else (a fraction, a date) is returned as its text, for the caller to refuse."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if float(value).is_integer() and value >= 0:
            return f"{int(value):,}".replace(",", " ")
        return repr(value)
    return str(value).strip()


def workbook_text(rows: list[list[object]], source_name: str, sheet: str) -> str:
    """A sheet of county tables as the text NAV exports (for ``parse``): row n is line n, a row's cells
    joined by tabs, numbers as NAV prints them. A cell whose text would break the lines is refused."""
    lines = []
    for number, row in enumerate(rows, start=1):
        cells = [cell_text(value) for value in row]
        for column, cell in enumerate(cells, start=1):
            if "\t" in cell or "\n" in cell or "\r" in cell:
                raise ParseError(source_name, f"{sheet}!{column_letter(column)}{number}",
                                 f'the cell "{shown(cell)}" holds a tab or a line break, which no table cell does')
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))
    return "\n".join(lines)


def _county_tables(workbook: Workbook, layout: Layout) -> Document:
    """County tables saved from a text document as a workbook: the one visible sheet with a month header."""
    parsed = []
    for sheet in (name for name in workbook.sheet_names if name in workbook.visible):
        text = workbook_text(workbook.rows(sheet), workbook.source_name, sheet)
        if not any(line.startswith("\t") for line in text.split("\n")):
            continue  # no month header: a sheet of notes

        def position(line: int, column: int, sheet: str = sheet) -> str:
            return f"{sheet}!{column_letter(column)}{line}"

        document = parse(text, workbook.source_name, layout, position)
        parsed.append(replace(document, tables=tuple(replace(table, sheet=sheet, first_value_column=2)
                                                     for table in document.tables)))
    if len(parsed) != 1:
        raise ParseError(workbook.source_name, None,
                         "no visible sheet holds county tables (a month header row: an empty first cell, then month "
                         "names)" if not parsed else "county tables on more than one sheet; save one document per "
                                                     "workbook")
    return parsed[0]
