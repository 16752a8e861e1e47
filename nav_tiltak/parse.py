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
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import islice

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


class ParseError(ValueError):
    """Bad input: the message names the file and the place, ``FILE:LINE: what is wrong`` for a text
    document, ``FILE:SHEET!CELL: ...`` for a workbook, ``FILE: ...`` for a fault of the whole file."""

    def __init__(self, source_name: str, position: int | str | None, message: str):
        where = shown(source_name, limit=200)
        super().__init__(f"{where}: {message}" if position is None else f"{where}:{position}: {message}")


def shown(text: str, limit: int = 60) -> str:
    """Text from a document or a path as a message shows it: control characters escaped (never sent raw to
    a terminal), and cut after ``limit`` characters."""
    cut = text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"
    if cut.isprintable():
        return cut
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in cut)


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
    measure_group: str
    months: tuple[str, ...]  # month labels as printed in the header
    month_numbers: tuple[int, ...]  # what they name: 1 for "Januar"
    header_line: int
    # The data rows, column by column: the loader's hot path makes no Python object per row.
    row_labels: tuple[str, ...]  # as printed
    row_lines: tuple[int, ...]
    row_values: tuple[str, ...]  # each row's values as printed, tab-separated: "3 704\t*\t12"


@dataclass(frozen=True)
class Document:
    source_name: str
    period: str  # the period line as printed, "Januar - Desember 2021"
    period_line: int
    year: int
    period_months: tuple[int, ...]  # the months the period names, each printed by a table: (1, ..., 12)
    tables: tuple[Table, ...] = field(default=())


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
        for month, value in zip(self.months, values, strict=True):
            if value == _SUPPRESSED or _VALUE.fullmatch(value):
                continue
            if _ANY_INTEGER.fullmatch(value):
                raise fail(number, f'row "{shown(label)}", {month}: "{shown(value)}" is larger than {_MAX_SHOWN}, '
                                   "the largest count the warehouse accepts (more people than live in Norway)")
            raise fail(number, f'row "{shown(label)}", {month}: "{shown(value)}" is neither a whole number nor "*"')
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


def parse(text: str, source_name: str, vocabulary: Vocabulary) -> Document:
    """Parse one document. Raises ``ParseError`` on the first structural fault.

    Coverage: a document covers the months its period line names ("Januar - Desember 2021"), and every one
    of them must be printed in some table's month header. Within a covered month, a table, row or month
    column that is not printed is 0: NAV omits what has no participants (the 2021 document's last table
    prints only Mars-Mai). A period naming a month that no table prints is refused: that document stops
    short, and its missing months are unknown, not 0.
    """

    def fail(line: int, message: str) -> ParseError:
        return ParseError(source_name, line, message)

    if not text.strip():
        raise fail(1, "the file is empty")
    control = _CONTROL.search(text)
    if control:
        column = control.start() - text.rfind("\n", 0, control.start())
        raise fail(text.count("\n", 0, control.start()) + 1, f"control character U+{ord(control.group()):04X} at column {column}: not a table NAV "
                         "printed (save it as plain text)")
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
        for month in months:
            if normalise_label(month) not in vocabulary.months:
                raise fail(number, f'month header has "{shown(month)}", which is not a Norwegian month name')
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
