"""Parse NAV's county tables as text ("Deltakere i arbeidsrettede tiltak") into printed cells.

A pure module: ``parse(text, source_name, layout)`` does no I/O. It keeps every printed cell verbatim
(with its line) and refuses structural faults with a ``ParseError`` that carries the file and line.

The document is read line by line. Lines that contain a tab are table lines: a month header starts with a
tab, a data row starts with its label. Lines without a tab form text blocks; the block right before a month
header is that table's title (one to three printed lines). Blank lines carry no meaning, so tables that
are not separated by blank lines parse the same.

Most lines are data rows, so they are the loader's hot path: the run of rows under a month header is
checked and split by one regex call when all are printed as NAV prints them. Anything else is read a line
at a time, which is also what names a fault's line.

Every fault is made by one function, ``_Place.error``: the line, and in a workbook the cell (a sheet saved
from a text document is read through ``workbook_text``, line n being row n).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import islice

from nav_tiltak.document import INTEGER, MAX_LABEL, Document, Table, is_value, value_fault
from nav_tiltak.layout import Layout, normalise_label
from nav_tiltak.messages import ParseError, shown

# C0 and C1 control characters other than tab, line feed and carriage return: never in NAV's tables.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PERIOD = re.compile(r"(?P<first>\w+)\s+-\s+(?P<last>\w+)\s+(?P<year>\d{4})")
# Where a run of rows ends at the latest: the line break before a blank line, a line starting with a space
# or a tab (the next month header), or the end. A title line in between (tables not separated by blank
# lines) makes the run fail its check and be read line by line.
_RUN_END = re.compile(r"\n(?=[^\S\n]|\n|\Z)")


@cache
def _rows_of(count: int) -> re.Pattern[str]:
    """Data rows of ``count`` values as NAV prints them, one match per line: the label (not starting with
    a space) and the values as printed (each a whole number or "*", tab-separated), then the line's end."""
    value = rf"(?:{INTEGER}|\*)"
    label = rf"[^\s][^\t\n]{{0,{MAX_LABEL - 1}}}+"
    return re.compile(rf"^({label})\t({value}(?:\t{value}){{{count - 1}}}+)[^\S\n]*+(?:\n|\Z)", re.M)


@dataclass(frozen=True)
class _Place:
    """Where faults are: the file, and how a line (and column: a row's label is column 1) is named."""

    source_name: str
    position: Callable[[int, int], str] | None

    def error(self, line: int, message: str, column: int = 1) -> ParseError:
        return ParseError(self.source_name, self.position(line, column) if self.position else line, message)


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

    def add_row(self, label: str, number: int, rest: str, place: _Place) -> None:
        """Check one data row and keep it; refuses a faulty row with its line and what is wrong."""
        if len(label) > MAX_LABEL:
            raise place.error(number, f'row label "{shown(label)}" is longer than {MAX_LABEL} characters')
        values = [value.strip() for value in rest.split("\t")]  # stray spaces around values are dropped
        if len(values) != len(self.months):
            raise place.error(number, f'row "{shown(label)}" has {len(values)} values, the month header '
                                      f"(line {self.header_line}) has {len(self.months)}")
        for column, (month, value) in enumerate(zip(self.months, values, strict=True), start=2):
            if not is_value(value):
                raise place.error(number, f'row "{shown(label)}", {month}: "{shown(value)}" {value_fault(value)}',
                                  column)
        folded = normalise_label(label)
        if folded in self.folded_labels:
            raise place.error(number, f'row "{shown(label)}" is printed twice in table "{shown(self.title)}"')
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

    def closed(self) -> Table:
        return Table(self.title, self.title_line, *self.codes, self.months, self.month_numbers, self.header_line,
                     tuple(self.row_labels), tuple(self.row_lines), tuple(self.row_values))


def period_named(text_line: str, layout: Layout) -> tuple[int, range] | None:
    """The year and month numbers a period line such as "Januar - Desember 2021" names; None for other text."""
    # A period line ends with its year; most text lines do not, and skip the regex.
    match = _PERIOD.fullmatch(text_line) if text_line[-1:].isdigit() else None
    if match is None:
        return None
    first, last = normalise_label(match["first"]), normalise_label(match["last"])
    if first not in layout.month_numbers or last not in layout.month_numbers:
        return None
    return int(match["year"]), range(layout.month_numbers[first], layout.month_numbers[last] + 1)


def parse(text: str, source_name: str, layout: Layout,
          position: Callable[[int, int], str] | None = None) -> Document:
    """Parse one document. Raises ``ParseError`` on the first structural fault.

    Coverage: a document covers the months its period line names ("Januar - Desember 2021"), and every one
    of them must be printed in some table's month header. Within a covered month, a table, row or month
    column that is not printed is 0: NAV omits what has no participants (the 2021 document's last table
    prints only Mars-Mai). A period naming a month that no table prints is refused: that document stops
    short, and its missing months are unknown, not 0.
    """
    place = _Place(source_name, position)
    _refuse_what_is_not_text(text, place)
    return _Reader(text, place, layout).read()


def _refuse_what_is_not_text(text: str, place: _Place) -> None:
    if not text.strip():
        raise place.error(1, "the file is empty")
    control = _CONTROL.search(text)
    if control:
        start = control.start()
        line_start = text.rfind("\n", 0, start) + 1
        raise place.error(text.count("\n", 0, start) + 1, f"control character U+{ord(control.group()):04X} at column "
                          f"{start - line_start + 1}: not a table NAV printed (save it as plain text)",
                          text.count("\t", line_start, start) + 1)


class _Reader:
    """One document, line by line: text blocks (titles, the period line), month headers and data rows."""

    def __init__(self, text: str, place: _Place, layout: Layout):
        self.text, self.place, self.layout = text, place, layout
        self.period: tuple[str, int, int, range] | None = None  # (as printed, line, year, months covered)
        self.title_run: list[tuple[int, str]] = []  # the latest run of non-blank lines without a tab
        self.title_is_period = False  # that run is a period line: a period line is never a title
        self.blank_title_line = 0  # a line of only spaces after that run: where a title may have been blanked
        self.in_run = False
        self.tables: list[Table] = []
        self.seen: dict[tuple[str, str], Table] = {}
        self.current: _OpenTable | None = None
        self.periods: dict[str, tuple[int, range] | None] = {}  # text line -> the period it names, if any
        self.headers: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {}  # header as printed -> its months

    def read(self) -> Document:
        offset = 0  # of the line after the one being read
        numbered = enumerate(self.text.split("\n"), start=1)  # lines as editors number them
        for number, raw in numbered:
            offset += len(raw) + 1
            line = raw.rstrip()  # trailing spaces, tabs and a CR from CRLF files carry nothing
            if "\t" not in line:
                self.text_line(number, raw, line)
                continue
            self.in_run = False
            label, _, rest = line.partition("\t")
            if label and not label.isspace():
                if self.current is None:
                    raise self.place.error(number, f'row "{shown(label)}" is not under a month header')
                self.current.add_row(label, number, rest, self.place)
                continue
            self.open_table(number, rest)
            taken, offset = self.current.take_rows(self.text, offset, number + 1)
            next(islice(numbered, taken, taken), None)  # skip the lines taken
        self.close_table()
        return self.finish()

    def text_line(self, number: int, raw: str, line: str) -> None:
        """A line without a tab: blank, or part of a text block (a title, a period line)."""
        if not line:
            if raw.strip("\r") and not self.blank_title_line:
                self.blank_title_line = number
            self.in_run = False
            return
        self.close_table()
        text_line = line.strip()
        if not self.in_run:
            self.title_run, self.in_run, self.title_is_period, self.blank_title_line = [], True, False, 0
        self.title_run.append((number, text_line))
        named = self.periods.get(text_line, False)  # the same text lines come back on every page
        if named is False:
            named = self.periods[text_line] = period_named(text_line, self.layout)
        if named is not None:
            self.title_is_period = True
            year, covered = named
            if self.period is None:
                self.period = (text_line, number, year, covered)
            elif year != self.period[2]:
                raise self.place.error(number, f'period "{shown(text_line)}" names {year}, but the document is for '
                                               f"{self.period[2]} (line {self.period[1]})")

    def open_table(self, number: int, header: str) -> None:
        """A month header at line ``number``: the title above it names the table."""
        self.close_table()
        if self.blank_title_line and (not self.title_run or self.title_is_period):
            raise self.place.error(self.blank_title_line, "the table title is blank (a line of only spaces) above "
                                                          f"the month header at line {number}")
        if not self.title_run or self.title_is_period:
            raise self.place.error(number, "month header has no table title above it")
        title_line = self.title_run[0][0]
        title = " ".join(text for _, text in self.title_run)
        self.title_run = []
        if len(title) > MAX_LABEL:
            raise self.place.error(title_line, f'table title "{shown(title)}" is longer than {MAX_LABEL} characters')
        codes = self.layout.table_codes(title)
        if codes is None:
            raise self.place.error(title_line, f'table title "{shown(title)}" names no known main group and measure '
                                               "group (see seeds/reference/ref_main_group_labels.csv and "
                                               "ref_measure_group_labels.csv)")
        if codes in self.seen:
            raise self.place.error(title_line, f'table "{shown(title)}" is printed twice (first at line '
                                               f"{self.seen[codes].title_line})")
        if self.period is None:
            raise self.place.error(title_line, f'table "{shown(title)}" comes before any period line such as '
                                               '"Januar - Desember 2021"; the year is unknown')
        if header not in self.headers:  # every table repeats the same header: checked once
            self.headers[header] = self.header_months(header, number)
        self.current = _OpenTable(title, title_line, codes, *self.headers[header], number)

    def header_months(self, header: str, number: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """The months a header names, refused unless they are distinct months within the period."""
        assert self.period is not None  # a table without a period was refused before its header is read
        months = tuple(month.strip() for month in header.split("\t"))
        for column, month in enumerate(months, start=2):
            if normalise_label(month) not in self.layout.month_numbers:
                raise self.place.error(number, f'month header has "{shown(month)}", which is not a Norwegian month '
                                               "name", column)
        numbers = tuple(self.layout.month_numbers[normalise_label(m)] for m in months)
        outside = [m for m, n in zip(months, numbers, strict=True) if n not in self.period[3]]
        if outside:
            raise self.place.error(number, f'month header has {", ".join(outside)}, outside the period '
                                           f'"{shown(self.period[0])}" (line {self.period[1]})')
        repeated = {m for m, n in zip(months, numbers, strict=True) if numbers.count(n) > 1}
        if repeated:
            raise self.place.error(number, f'month header names {", ".join(sorted(repeated))} twice')
        return months, numbers

    def close_table(self) -> None:
        if self.current is None:
            return
        if not self.current.row_lines:
            raise self.place.error(self.current.header_line, f'table "{shown(self.current.title)}" has a month '
                                                             "header but no rows")
        table = self.current.closed()
        self.seen[self.current.codes] = table
        self.tables.append(table)
        self.current = None

    def finish(self) -> Document:
        """The document, once every month its period names is printed in some table."""
        if not self.tables:
            raise self.place.error(1, "no tables found: expected a title, then a month header line starting with "
                                      "a tab")
        assert self.period is not None  # a table without a period was refused above
        printed = {month for _, numbers in self.headers.values() for month in numbers}
        missing = [self.layout.month_name(month) for month in self.period[3] if month not in printed]
        if missing:
            raise self.place.error(self.period[1], f'the period "{shown(self.period[0])}" names {", ".join(missing)}, '
                                                   "but no table prints them: the document stops short (its months "
                                                   "must all be printed; the missing ones would be unknown, not 0)")
        period, line, year, months = self.period
        return Document(self.place.source_name, period, line, year, tuple(months), tuple(self.tables))
