"""Parse NAV's text tables "Deltakere i arbeidsrettede tiltak" into printed cells.

A pure module: ``parse(text, source_name, vocabulary)`` does no I/O. It keeps every printed cell verbatim
(with its line) and refuses structural faults with a ``ParseError`` that carries the file and line.

The document is read line by line. Lines that contain a tab are table lines: a month header starts with a
tab, a data row starts with its label. Lines without a tab form text blocks; the block right before a month
header is that table's title (one to three printed lines). Blank lines carry no meaning, so tables that
are not separated by blank lines parse the same.

Most lines are data rows, so they are the loader's hot path: the run of rows under a month header is
checked and split by one regex call when all are printed as NAV prints them. Anything else is read a line
at a time, which is also what names a fault's line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import islice

from nav_tiltak.messages import ParseError, shown

# "3 704", "12 322", "473", "3704": ASCII digits, in groups of three separated by a space, a no-break
# space or a thin space as NAV's exports print them, or not grouped at all; at most MAX_COUNT, so that
# every count and every sum of them fits the warehouse's integers. Possessive quantifiers: the loader's hot
# path, and a value never needs to give characters back.
MAX_COUNT = 9_999_999  # more people than live in Norway
_SEPARATOR = "[ \u00a0\u202f\u2009]"
_INTEGER = rf"[0-9]{_SEPARATOR}[0-9]{{3}}+{_SEPARATOR}[0-9]{{3}}+|[0-9]{{1,3}}+{_SEPARATOR}[0-9]{{3}}+|[0-9]{{1,7}}+"
_VALUE = re.compile(_INTEGER)
_ANY_INTEGER = re.compile(rf"[0-9]+(?:{_SEPARATOR}[0-9]{{3}})*")
_MAX_SHOWN = f"{MAX_COUNT:,}".replace(",", " ")
_SUPPRESSED = "*"
# Labels and titles are names, a few words long; a longer one is not a table NAV printed (and would not fit
# the warehouse's text files and messages).
MAX_LABEL = 200
# C0 and C1 control characters other than tab, line feed and carriage return: never in NAV's tables.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@cache
def _rows_of(count: int) -> re.Pattern[str]:
    """Data rows of ``count`` values as NAV prints them, one match per line: the label (not starting with
    a space) and the values as printed (each a whole number or "*", tab-separated), then the line's end."""
    value = rf"(?:{_INTEGER}|\*)"
    label = rf"[^\s][^\t\n]{{0,{MAX_LABEL - 1}}}+"
    return re.compile(rf"^({label})\t({value}(?:\t{value}){{{count - 1}}}+)[^\S\n]*+(?:\n|\Z)", re.M)


# Where a run of rows ends at the latest: the line break before a blank line, a line starting with a space
# or a tab (the next month header), or the end. A title line in between (tables not separated by blank
# lines) makes the run fail its check and be read line by line.
_RUN_END = re.compile(r"\n(?=[^\S\n]|\n|\Z)")
_PERIOD = re.compile(r"(?P<first>\w+)\s+-\s+(?P<last>\w+)\s+(?P<year>\d{4})")
# ASCII whitespace and the no-break and thin spaces of Norwegian exports, as in the SQL macro.
_WHITESPACE = re.compile(r"[\s\u00a0\u2009\u202f]+", re.ASCII)


@lru_cache(maxsize=65536)  # documents repeat the same month names, titles and labels thousands of times
def normalise_label(label: str) -> str:
    """Fold a printed label for lookup: trim, collapse whitespace, lower case.

    The SQL macro ``normalise_label`` does the same, so the loader and dbt agree on what matches.
    """
    return _WHITESPACE.sub(" ", label).strip().lower()


@dataclass(frozen=True)
class Vocabulary:
    """What a title and a month header may say; read from the reference seeds (see ``nav_tiltak.load``)."""

    months: dict[str, int]  # normalised Norwegian month name -> month number
    main_groups: dict[str, str]  # normalised label -> main group code
    measure_groups: dict[str, str]  # normalised label -> measure group code

    def table_codes(self, title: str) -> tuple[str, str] | None:
        """(main group, measure group) named by a table title, or None.

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


@dataclass(frozen=True)
class Table:
    title: str  # the printed title lines joined by a space
    title_line: int
    main_group: str
    measure_group: str  # "alle" where the rows are measure groups or types (NAV's national tables)
    months: tuple[str, ...]  # month labels as printed in the header
    month_numbers: tuple[int, ...]  # what they name: 1 for "Januar"
    header_line: int
    # The data rows, column by column: the loader's hot path makes no Python object per row.
    row_labels: tuple[str, ...]  # as printed
    row_lines: tuple[int, ...]
    row_values: tuple[str, ...]  # each row's values as printed, tab-separated: "3 704\t*\t12" ("" unprinted)
    row_kind: str = "county"  # what the rows are: county, measure_group (TILT100) or measure_type (TILT110-180)
    sheet: str | None = None  # a workbook's sheet; None for a text document
    first_value_column: int | None = None  # in a workbook, the column of the first month (A = 1)


@dataclass(frozen=True)
class Document:
    source_name: str
    period: str  # the period as printed ("Januar - Desember 2021"), or as a file name gives it
    period_line: int | None  # None where the period comes from the file name
    year: int
    period_months: tuple[int, ...]  # the months the period names, each printed by a table: (1, ..., 12)
    tables: tuple[Table, ...] = field(default=())
    geography: str = "county"  # what its tables cover: county (and Norway), or national (Norway only)
    table_code: str | None = None  # NAV's table code for a national workbook: TILT100, TILT110, ...


@dataclass
class _OpenTable:
    title: str
    title_line: int
    codes: tuple[str, str]
    months: tuple[str, ...]
    month_numbers: tuple[int, ...]
    header_line: int
    row_labels: list[str] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)
    row_values: list[str] = field(default_factory=list)
    folded_labels: set[str] = field(default_factory=set)  # to refuse a repeated row

    def add_row(self, label: str, number: int, rest: str, fail) -> None:
        """Check one data row and keep it; refuses a faulty row with its line and what is wrong."""
        if len(label) > MAX_LABEL:
            raise fail(number, f'row label "{shown(label)}" is longer than {MAX_LABEL} characters')
        values = [value.strip() for value in rest.split("\t")]  # stray spaces around values are dropped
        if len(values) != len(self.months):
            raise fail(number, f'row "{shown(label)}" has {len(values)} values, the month header '
                               f"(line {self.header_line}) has {len(self.months)}")
        for column, (month, value) in enumerate(zip(self.months, values, strict=True), start=2):
            if value == _SUPPRESSED or _VALUE.fullmatch(value):
                continue
            if _ANY_INTEGER.fullmatch(value):
                raise fail(number, f'row "{shown(label)}", {month}: "{shown(value)}" is larger than {_MAX_SHOWN}, '
                                   "the largest count the warehouse accepts (more people than live in Norway)", column)
            raise fail(number, f'row "{shown(label)}", {month}: "{shown(value)}" is neither a whole number nor "*"',
                       column)
        folded = normalise_label(label)
        if folded in self.folded_labels:
            raise fail(number, f'row "{shown(label)}" is printed twice in table "{shown(self.title)}"')
        self.folded_labels.add(folded)
        self.row_labels.append(label)
        self.row_lines.append(number)
        self.row_values.append("\t".join(values))

    def take_rows(self, text: str, start: int, first_line: int) -> tuple[int, int]:
        """Keep the run of rows from offset ``start`` (line ``first_line``), up to the first line that is
        not one, if all are well formed; returns how many lines it took and the offset after them.

        The loader's hot path (most lines are rows): one regex call checks and splits them all. If any
        line there is not a well-formed row, or a label repeats, it takes nothing, and the caller reads
        those lines one at a time through ``add_row``, which names the first fault exactly.
        """
        if start > len(text):  # the header was the last line
            return 0, start
        run_end = _RUN_END.search(text, start - 1)
        end = run_end.start() + 1 if run_end else len(text)
        rows = _rows_of(len(self.months)).findall(text, start, end)
        count = text.count("\n", start, end) + (end == len(text) and not text.endswith("\n"))
        if not rows or len(rows) != count:
            return 0, start
        labels, values = zip(*rows, strict=True)
        folded = set(map(normalise_label, labels))
        if len(folded) != count or not folded.isdisjoint(self.folded_labels):
            return 0, start
        self.folded_labels |= folded
        self.row_labels.extend(labels)
        self.row_lines.extend(range(first_line, first_line + count))
        self.row_values.extend(values)
        return count, end


def period_named(text_line: str, vocabulary: Vocabulary) -> tuple[int, range] | None:
    """The year and month numbers a period line such as "Januar - Desember 2021" names; None for other text."""
    # A period line ends with its year; most text lines do not, and skip the regex.
    match = _PERIOD.fullmatch(text_line) if text_line[-1:].isdigit() else None
    if match is None:
        return None
    first, last = normalise_label(match["first"]), normalise_label(match["last"])
    if first not in vocabulary.months or last not in vocabulary.months:
        return None
    return int(match["year"]), range(vocabulary.months[first], vocabulary.months[last] + 1)


def parse(text: str, source_name: str, vocabulary: Vocabulary,
          position: Callable[[int, int], str] | None = None) -> Document:
    """Parse one document. Raises ``ParseError`` on the first structural fault.

    Coverage: a document covers the months its period line names ("Januar - Desember 2021"), and every one
    of them must be printed in some table's month header. Within a covered month, a table, row or month
    column that is not printed is 0: NAV omits what has no participants (the 2021 document's last table
    prints only Mars-Mai). A period naming a month that no table prints is refused: that document stops
    short, and its missing months are unknown, not 0.
    """

    def fail(line: int, message: str, column: int = 1) -> ParseError:
        """The fault at ``line`` (and, in a workbook, ``column``: a row's label is column 1)."""
        return ParseError(source_name, position(line, column) if position else line, message)

    if not text.strip():
        raise fail(1, "the file is empty")
    control = _CONTROL.search(text)
    if control:
        start = control.start()
        line_start = text.rfind("\n", 0, start) + 1
        raise fail(text.count("\n", 0, start) + 1, f"control character U+{ord(control.group()):04X} at column "
                   f"{start - line_start + 1}: not a table NAV printed (save it as plain text)",
                   text.count("\t", line_start, start) + 1)
    lines = text.split("\n")  # lines as editors number them; a CR before the break is trailing space
    offset = 0  # of the line after the one being read

    period: tuple[str, int, int, range] | None = None  # (as printed, line, year, month numbers covered)
    title_run: list[tuple[int, str]] = []  # the latest run of non-blank lines without a tab
    title_is_period = False  # that run is a period line: a period line is never a title
    blank_title_line = 0  # a line of only spaces after that run: where a title may have been blanked
    in_run = False
    tables: list[Table] = []
    seen: dict[tuple[str, str], Table] = {}
    current: _OpenTable | None = None
    periods: dict[str, tuple[int, range] | None] = {}  # text line -> the period it names, if any
    headers: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {}  # month header as printed -> its months

    def header_months(header: str, number: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """The months a header names, refused unless they are distinct months within the period."""
        assert period is not None  # a table without a period was refused before its header is read
        months = tuple(month.strip() for month in header.split("\t"))
        for column, month in enumerate(months, start=2):
            if normalise_label(month) not in vocabulary.months:
                raise fail(number, f'month header has "{shown(month)}", which is not a Norwegian month name', column)
        numbers = tuple(vocabulary.months[normalise_label(m)] for m in months)
        outside = [m for m, n in zip(months, numbers, strict=True) if n not in period[3]]
        if outside:
            raise fail(number, f'month header has {", ".join(outside)}, outside the period "{shown(period[0])}" '
                               f"(line {period[1]})")
        repeated = {m for m, n in zip(months, numbers, strict=True) if numbers.count(n) > 1}
        if repeated:
            raise fail(number, f'month header names {", ".join(sorted(repeated))} twice')
        return months, numbers

    def close_table() -> None:
        nonlocal current
        if current is None:
            return
        if not current.row_lines:
            raise fail(current.header_line, f'table "{shown(current.title)}" has a month header but no rows')
        table = Table(
            current.title, current.title_line, *current.codes, current.months, current.month_numbers,
            current.header_line, tuple(current.row_labels), tuple(current.row_lines), tuple(current.row_values),
        )
        seen[current.codes] = table
        tables.append(table)
        current = None

    numbered = enumerate(lines, start=1)
    for number, raw in numbered:
        offset += len(raw) + 1
        line = raw.rstrip()  # trailing spaces, tabs and a CR from CRLF files carry nothing
        if "\t" not in line:
            if not line:
                if raw.strip("\r") and not blank_title_line:
                    blank_title_line = number
                in_run = False
                continue
            if current is not None:
                close_table()
            text_line = line.strip()
            if not in_run:
                title_run, in_run, title_is_period, blank_title_line = [], True, False, 0
            title_run.append((number, text_line))
            named = periods.get(text_line, False)  # the same text lines come back on every page
            if named is False:
                named = periods[text_line] = period_named(text_line, vocabulary)
            if named is not None:
                title_is_period = True
                year, covered = named
                if period is None:
                    period = (text_line, number, year, covered)
                elif year != period[2]:
                    raise fail(number, f'period "{shown(text_line)}" names {year}, but the document is for '
                                       f"{period[2]} (line {period[1]})")
            continue
        in_run = False
        label, _, rest = line.partition("\t")
        if label and not label.isspace():
            if current is None:
                raise fail(number, f'row "{shown(label)}" is not under a month header')
            current.add_row(label, number, rest, fail)
            continue
        close_table()
        if blank_title_line and (not title_run or title_is_period):
            raise fail(blank_title_line, f"the table title is blank (a line of only spaces) above the month "
                                         f"header at line {number}")
        if not title_run or title_is_period:
            raise fail(number, "month header has no table title above it")
        title_line = title_run[0][0]
        title = " ".join(text for _, text in title_run)
        title_run = []
        if len(title) > MAX_LABEL:
            raise fail(title_line, f'table title "{shown(title)}" is longer than {MAX_LABEL} characters')
        codes = vocabulary.table_codes(title)
        if codes is None:
            raise fail(title_line, f'table title "{shown(title)}" names no known main group and measure group '
                                   "(see seeds/reference/ref_main_group_labels.csv and "
                                   "ref_measure_group_labels.csv)")
        if codes in seen:
            raise fail(title_line, f'table "{shown(title)}" is printed twice (first at line {seen[codes].title_line})')
        if period is None:
            raise fail(title_line, f'table "{shown(title)}" comes before any period line such as '
                                   '"Januar - Desember 2021"; the year is unknown')
        if rest not in headers:  # every table repeats the same header: checked once
            headers[rest] = header_months(rest, number)
        current = _OpenTable(title, title_line, codes, *headers[rest], number)
        taken, offset = current.take_rows(text, offset, number + 1)
        next(islice(numbered, taken, taken), None)  # skip the lines taken
    close_table()

    if not tables:
        raise fail(1, "no tables found: expected a title, then a month header line starting with a tab")
    assert period is not None  # a table without a period was refused above
    printed = {month for _, numbers in headers.values() for month in numbers}
    missing = [month for month in period[3] if month not in printed]
    if missing:
        names = {number: name.capitalize() for name, number in vocabulary.months.items()}
        raise fail(period[1], f'the period "{shown(period[0])}" names {", ".join(names[m] for m in missing)}, but no '
                              "table prints them: the document stops short (its months must all be printed; the "
                              "missing ones would be unknown, not 0)")
    return Document(source_name, period[0], period[1], period[2], tuple(period[3]), tuple(tables))


# NAV's national workbooks (TILT100, TILT110-TILT180): see ../shared/reference/nav-excel-layouts.md.
_AVERAGE = "gjennomsnitt hittil i år"
_BLOCK_TOTAL = re.compile(r"i alt (?P<main>.+?)\.?", re.IGNORECASE)


def column_letter(column: int) -> str:
    """A spreadsheet column's letters: 1 -> A, 27 -> AA."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell_text(value: object) -> str:
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
        cells = [_cell_text(value) for value in row]
        for column, cell in enumerate(cells, start=1):
            if "\t" in cell or "\n" in cell or "\r" in cell:
                raise ParseError(source_name, f"{sheet}!{column_letter(column)}{number}",
                                 f'the cell "{shown(cell)}" holds a tab or a line break, which no table cell does')
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))
    return "\n".join(lines)


def parse_national(rows: list[list[object]], source_name: str, sheet: str, table_code: str, year: int,
                   last_month: int, vocabulary: Vocabulary) -> Document:
    """Parse the data sheet of a NAV national workbook: blocks, one per main group, each opened by its month
    header ("Gjennomsnitt hittil i år", Januar ... Desember) directly above its "I alt <main group> på
    tiltak" row, then a row per measure group (TILT100) or measure type (TILT110-180) until an empty label.

    The period comes from the file name (``year``, ``last_month``): every month up to ``last_month`` must
    be printed somewhere, and none after it (a running year's later months are empty). A value is a whole
    number, "*" or empty (not printed: outside a measure type's life, or a total NAV's figures do not give).
    The year-to-date average is checked against the months, never read as a month.
    """

    def fail(row: int, column: int, message: str) -> ParseError:
        return ParseError(source_name, f"{sheet}!{column_letter(column)}{row}", message)

    row_kind = "measure_group" if table_code == "TILT100" else "measure_type"
    names = {number: name.capitalize() for name, number in vocabulary.months.items()}
    tables: list[Table] = []
    seen: dict[str, int] = {}
    printed_months: set[int] = set()
    texts = [[_cell_text(value) for value in row] + [""] * (14 - len(row)) for row in rows]
    title = next((cells[0] for cells in texts if cells[0]), table_code)
    index = 0
    while index < len(texts):
        cells = texts[index]
        total = _BLOCK_TOTAL.fullmatch(normalise_label(cells[0])) if cells[0] else None
        main_group = vocabulary.main_groups.get(normalise_label(total["main"])) if total else None
        if total is None or main_group is None:
            if total is not None:
                raise fail(index + 1, 1, f'"{shown(cells[0])}" names no known main group (see '
                                         "seeds/reference/ref_main_group_labels.csv)")
            index += 1
            continue
        header_row = index  # the row above, 1-based
        header = texts[index - 1] if index else []
        months = [normalise_label(cell) for cell in header[2:14]]
        if not header or normalise_label(header[1]) != _AVERAGE or months != [
                name.lower() for _, name in sorted(names.items())]:
            raise fail(max(header_row, 1), 2, f'the row above "{shown(cells[0])}" is not its month header '
                                              '("Gjennomsnitt hittil i år", Januar ... Desember in columns B-N)')
        if main_group in seen:
            raise fail(index + 1, 1, f'a second block for "{shown(cells[0])}" (the first is at row {seen[main_group]})')
        seen[main_group] = index + 1
        labels, lines, values = [], [], []
        folded: set[str] = set()
        while index < len(texts) and texts[index][0]:
            cells = texts[index]
            row = index + 1
            if labels and normalise_label(cells[1]) == _AVERAGE:
                break  # the next block's month header, with no empty row before it
            if len(cells[0]) > MAX_LABEL:
                raise fail(row, 1, f'row label "{shown(cells[0])}" is longer than {MAX_LABEL} characters')
            if labels and _BLOCK_TOTAL.fullmatch(normalise_label(cells[0])):
                break  # the next block's total without an empty row between: its header was this block's row
            if normalise_label(cells[0]) in folded:
                raise fail(row, 1, f'row "{shown(cells[0])}" is printed twice in this block')
            folded.add(normalise_label(cells[0]))
            row_values = []
            for column, value in enumerate(cells[2:14], start=3):
                month = column - 2
                if value and value != _SUPPRESSED and not _VALUE.fullmatch(value):
                    what = (f"larger than {_MAX_SHOWN}, the largest count the warehouse accepts"
                            if _ANY_INTEGER.fullmatch(value) else 'neither a whole number, "*" nor empty')
                    raise fail(row, column, f'row "{shown(cells[0])}", {names[month]}: "{shown(value)}" is {what}')
                if value and month > last_month:
                    raise fail(row, column, f'row "{shown(cells[0])}" prints {names[month]}, after the period '
                                            f"the file's name gives ({names[last_month]} {year})")
                if value:
                    printed_months.add(month)
                row_values.append(value)
            _check_average(cells, row_values[:last_month], row, fail)
            labels.append(cells[0])
            lines.append(row)
            values.append("\t".join(row_values[:last_month]))
            index += 1
        if len(labels) < 2:
            raise fail(index, 1, f'the block "{shown(labels[0])}" has no rows below its total')
        tables.append(Table(title, 1, main_group, "alle", tuple(MONTHS_NB[:last_month]),
                            tuple(range(1, last_month + 1)), header_row, tuple(labels), tuple(lines), tuple(values),
                            row_kind, sheet, 3))
    if not tables:
        raise ParseError(source_name, sheet, 'no blocks found: expected a month header ("Gjennomsnitt hittil i år", '
                                             'Januar ... Desember) directly above an "I alt ... på tiltak" row')
    missing = [names[month] for month in range(1, last_month + 1) if month not in printed_months]
    if missing:
        raise ParseError(source_name, sheet, f"the file's name gives the period Januar - {names[last_month]} {year}, "
                                             f"but no row prints {', '.join(missing)}: the workbook stops short")
    return Document(source_name, f"Januar - {names[last_month]} {year}", None, year, tuple(range(1, last_month + 1)),
                    tuple(tables), "national", table_code)


MONTHS_NB = ["Januar", "Februar", "Mars", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Desember"]


def _check_average(cells: list[str], values: list[str], row: int, fail) -> None:
    """NAV's "Gjennomsnitt hittil i år" (column B) is the mean of the row's months so far: where it and
    every month are printed, it must lie within the bounds the months give (a `*` is 0..3), rounded."""
    average = cells[1]
    if not average or not values or any(not value for value in values):
        return
    lows = [0 if value == _SUPPRESSED else int(re.sub(r"\D", "", value)) for value in values]
    highs = [3 if value == _SUPPRESSED else low for value, low in zip(values, lows, strict=True)]
    low, high = sum(lows) / len(values) - 0.5, sum(highs) / len(values) + 0.5
    if average == _SUPPRESSED:
        if low >= 3.5:
            raise fail(row, 2, f'row "{shown(cells[0])}": the average is printed "*", but its months average '
                               f"{sum(lows) / len(values):,.1f}")
        return
    if not _VALUE.fullmatch(average):
        raise fail(row, 2, f'row "{shown(cells[0])}": the average "{shown(average)}" is not a whole number')
    printed = int(re.sub(r"\D", "", average))
    if not low <= printed <= high:
        def number(x: float) -> str:
            return f"{x:,.1f}".replace(",", " ")

        shown_range = number(low + 0.5) if low + 1 == high else f"{number(low + 0.5)}..{number(high - 0.5)}"
        raise fail(row, 2, f'row "{shown(cells[0])}": "Gjennomsnitt hittil i år" is {average}, but its '
                           f"{len(values)} months average {shown_range}")
