"""Loading: read NAV's documents and the reference vocabulary, parse them (``nav_tiltak.parse``), and
write the raw seed CSVs that dbt reads.

Writing is all-or-nothing: each seed is written to a temporary file beside it as the documents are parsed,
and renamed over the old one only when every document has been parsed and written; a bad document leaves
nothing behind.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from nav_tiltak.document import Document
from nav_tiltak.layout import Layout, read_layout
from nav_tiltak.messages import ParseError
from nav_tiltak.parse import parse
from nav_tiltak.processes import die_with_parent
from nav_tiltak.sheets import read_workbook
from nav_tiltak.xlsx import what_it_is

# One row per printed table, one per printed data row (its values as printed, tab-separated as in the
# document; staging makes one row per cell), one per document. A row per line rather than per cell keeps
# the seeds about the size of the text, so the loader writes at the speed it parses. Beside what was
# printed, the tables and documents carry what the loader decided it means (the groups a title names, the
# months a header and the period name), so that dbt reads each fact with the loader's meaning.
TABLES_SEED = "raw_nav__tables.csv"
ROWS_SEED = "raw_nav__rows.csv"
DOCUMENTS_SEED = "raw_nav__documents.csv"
TABLE_COLUMNS = ["source_file", "source_sheet", "title_line", "header_line", "table_title", "main_group",
                 "measure_group", "measure_type", "row_kind", "first_value_column", "months_as_printed", "month_dates"]
ROW_COLUMNS = ["source_file", "source_sheet", "source_line", "header_line", "row_kind", "row_label",
               "values_as_printed"]
DOCUMENT_COLUMNS = ["source_file", "sha256", "table_code", "geography", "period_label", "period_line", "period_year",
                    "period_start_date", "period_end_date", "table_count", "cell_count"]
SEED_COLUMNS = {TABLES_SEED: TABLE_COLUMNS, ROWS_SEED: ROW_COLUMNS, DOCUMENTS_SEED: DOCUMENT_COLUMNS}
# A missing value (no sheet in a text document, a period from a file name), as DuckDB reads the raw CSVs
# (read_csv's nullstr): an empty field is an empty text, such as a workbook cell NAV left empty.
NULL = "\\N"
DOCUMENT_SUFFIXES = {".txt", ".xlsx"}
# A document is a few hundred kilobytes (the 2021 one: 34 kB); a larger file is not one, and reading it
# whole (a disk image, /dev/zero through a link) would exhaust memory before anything could be said.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class LoadedDocument:
    document: Document
    sha256: str

    @property
    def cell_count(self) -> int:
        """Printed cells: in a text table every row has a value for each month of its header (the parser
        refuses others); a workbook's rows may leave a month empty (not printed)."""
        return sum(len(table.months) * len(table.row_lines) if table.sheet is None
                   else sum(len(values.split("\t")) - values.split("\t").count("") for values in table.row_values)
                   for table in self.document.tables)


# What NAV's tables contain, read as Windows-1252: ASCII, Latin-1 letters, and a little punctuation. Any
# other character means the bytes are in yet another encoding (DOS, Mac, UTF-16), and decoding them as
# Windows-1252 would put mojibake in the warehouse.
_WINDOWS_1252_TEXT = frozenset(
    "\t\n\r" + "".join(map(chr, range(0x20, 0x7F)))
    + "".join(c for c in map(chr, range(0xC0, 0x100)) if c.isalpha())
    + "\u00a0§«»°–—‘’“”…€"
)


def decode(data: bytes, source_name: str) -> str:
    """The document's text: UTF-8 (with or without a byte-order mark), else Windows-1252, as Norwegian
    exports often are. Anything else is refused rather than guessed."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        text, position = None, error.start
    else:
        position = next((i for i, c in enumerate(text) if c not in _WINDOWS_1252_TEXT), None)
        if position is None:
            return text
    def line_of(offset: int) -> int:
        return data[:offset].count(b"\n") + 1

    if text is None:
        meaning = "is not defined in Windows-1252"
    elif text[position].isprintable():
        meaning = f'would be "{text[position]}"'
    else:
        meaning = f"would be U+{ord(text[position]):04X}"
    raise ParseError(source_name, line_of(position),
                     f"neither UTF-8 (byte 0x{data[utf8_error.start]:02X} at line {line_of(utf8_error.start)}) "
                     f"nor Windows-1252 text (byte 0x{data[position]:02X} {meaning}); save the file as UTF-8") from None


def document_paths(inputs: list[Path]) -> list[Path]:
    """The documents named: files as given, folders expanded to their *.txt and *.xlsx files, sorted by
    name (Excel's lock files, ~$*.xlsx, left out). A spreadsheet of another format in a folder is refused,
    not skipped: the user meant it to be read."""
    paths: list[Path] = []
    for path in inputs:
        if not str(path):
            raise ParseError("INPUT", None, "is empty: give a document or a folder of documents")
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES | set(_OTHER_FORMATS)
                           and not p.name.startswith("~$"))
            if not found:
                raise ParseError(str(path), None, "the folder holds no *.txt or *.xlsx documents")
            paths.extend(found)
        else:
            paths.append(path)
    return paths


def read_document(path: Path) -> bytes:
    """A document's bytes; refuses what is not a regular file of a document's size before reading it (a
    FIFO would block, a device would never end)."""
    try:
        status = path.stat()
    except OSError as error:
        raise ParseError(str(path), None, f"cannot read the file: {error.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        kind = "a folder" if stat.S_ISDIR(status.st_mode) else "a FIFO" if stat.S_ISFIFO(status.st_mode) \
            else "a device" if stat.S_ISCHR(status.st_mode) or stat.S_ISBLK(status.st_mode) else "not a regular file"
        raise ParseError(str(path), None, f"is {kind}, not a document")
    if status.st_size > MAX_DOCUMENT_BYTES:
        raise ParseError(str(path), None, f"is {status.st_size / 1e6:,.0f} MB; a NAV document is at most "
                                          f"{MAX_DOCUMENT_BYTES / 1e6:,.0f} MB")
    try:
        return path.read_bytes()
    except OSError as error:
        raise ParseError(str(path), None, f"cannot read the file: {error.strerror}") from None


# Spreadsheets the loader does not read, and what to do with them.
_OTHER_FORMATS = {
    ".xlsm": "an Excel workbook with macros", ".xlsb": "a binary Excel workbook", ".xltx": "an Excel template",
    ".xltm": "an Excel template with macros", ".xls": "an old Excel workbook (.xls)",
    ".ods": "an OpenDocument spreadsheet", ".numbers": "a Numbers spreadsheet",
}


def load_documents(paths: list[Path], layout: Layout) -> list[LoadedDocument]:
    """Read and parse every document; raises ``ParseError`` for the first bad one."""
    loaded: dict[str, LoadedDocument] = {}
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in _OTHER_FORMATS:
            raise ParseError(path.name, None, f"is {_OTHER_FORMATS[suffix]}, which the loader does not read: open it "
                                              "in Excel or LibreOffice and save it as an Excel workbook (.xlsx)")
        data = read_document(path)
        if path.name in loaded:
            raise ParseError(path.name, None, "two input documents have this file name")
        if suffix == ".xlsx":
            document = read_workbook(data, path.name, layout)
        else:
            if what_it_is(data):
                raise ParseError(path.name, None, what_it_is(data))
            document = parse(decode(data, path.name), path.name, layout)
        loaded[path.name] = LoadedDocument(document, hashlib.sha256(data).hexdigest())
    return list(loaded.values())


def _field(value: object) -> str:
    """A CSV field as the csv module writes it (minimal quoting), built by hand for speed."""
    text = str(value)
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


_label_field = lru_cache(maxsize=65536)(_field)  # row labels repeat in every table and edition


def seed_texts(documents: list[LoadedDocument]) -> dict[str, str]:
    """The raw seed files' contents: one row per printed table, per printed data row and per document."""
    parts = [_seed_lines(loaded) for loaded in documents]
    return {name: "".join([_csv_line(columns), *(part.lines[name] for part in parts)])
            for name, columns in SEED_COLUMNS.items()}


@dataclass(frozen=True)
class DocumentSeeds:
    """One document's lines of each raw seed (by file name), and the line ``load`` reports for it."""

    lines: dict[str, str]
    summary: str


def _seed_lines(loaded: LoadedDocument) -> DocumentSeeds:
    doc = loaded.document
    tables: list[str] = []
    rows: list[str] = []
    for table in doc.tables:
        sheet = NULL if table.sheet is None else table.sheet
        tables.append(_csv_line([doc.source_name, sheet, table.title_line, table.header_line, table.title,
                                 table.main_group, table.measure_group, table.measure_type, table.row_kind,
                                 _or_null(table.first_value_column), "\t".join(table.months),
                                 _month_dates(doc.year, table.month_numbers)]))
        # Values are digits, spaces, "*" and tabs (the parser refuses anything else): never quoted. The
        # constant part of the line goes into the format with its % doubled (a file may be "50%.txt").
        constant = f"{_field(doc.source_name)},{_field(sheet)}".replace("%", "%%")
        row_line = f"{constant},%d,{table.header_line},{table.row_kind},%s,%s\n".__mod__
        labels = map(_label_field, table.row_labels)
        rows.extend(map(row_line, zip(table.row_lines, labels, table.row_values, strict=True)))
    cells = loaded.cell_count
    suppressed = sum("\t".join(table.row_values).count("*") for table in doc.tables)  # a value with "*" is "*"
    document = _csv_line([doc.source_name, loaded.sha256, _or_null(doc.table_code), doc.geography, doc.period,
                          _or_null(doc.period_line), doc.year, f"{doc.year}-{doc.period_months[0]:02d}-01",
                          f"{doc.year}-{doc.period_months[-1]:02d}-01", len(doc.tables), cells])
    return DocumentSeeds({TABLES_SEED: "".join(tables), ROWS_SEED: "".join(rows), DOCUMENTS_SEED: document},
                         f"{doc.source_name}: {doc.year}, {len(doc.tables)} tables, {cells} cells ({suppressed} "
                         "suppressed)" + _not_read(doc.sheets_not_read, doc.sheets_hidden))


def _not_read(sheets: tuple[str, ...], hidden: tuple[str, ...] = ()) -> str:
    """What a loaded line says of a workbook's sheets that the project does not know, and of its hidden
    sheets: named, not read."""
    unknown = (f"; not read: {', '.join(repr(sheet) for sheet in sheets)}, not a sheet of NAV's tables this project "
               "knows (seeds/reference/ref_nav_sheets.csv)") if sheets else ""
    return unknown + (f"; hidden, never read: {', '.join(repr(sheet) for sheet in hidden)}" if hidden else "")


@lru_cache(maxsize=1024)  # every table of a document has the same months
def _month_dates(year: int, months: tuple[int, ...]) -> str:
    return "\t".join(f"{year}-{month:02d}-01" for month in months)


def _csv_line(row: list[object]) -> str:
    return ",".join(map(_field, row)) + "\n"


def _or_null(value: object) -> object:
    return NULL if value is None else value


@contextmanager
def staged_files(directory: Path, names: list[str]) -> Iterator[dict[str, BinaryIO]]:
    """Files to write, each a temporary file beside its final name, renamed into place when the block ends
    well; if it does not, they are removed, and so are the folders made for them: nothing is left half
    written. The files are readable as the user's umask allows, like any file they write (not 0600, as
    temporary files are made)."""
    made = [folder for folder in [directory, *directory.parents] if not folder.exists()]
    directory.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    handles: dict[str, BinaryIO] = {}
    done = False
    try:
        for name in names:
            handle, temporary_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            staged.append((name, Path(temporary_name)))
            os.fchmod(handle, 0o666 & ~umask)
            handles[name] = os.fdopen(handle, "wb")
        yield handles
        for out in handles.values():
            out.close()
        for name, temporary in staged:
            os.replace(temporary, directory / name)
        done = True
    finally:
        for out in handles.values():
            out.close()
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        if not done:
            for folder in made:
                with suppress(OSError):
                    folder.rmdir()


def load(inputs: list[Path], seeds_dir: Path, workers: int | None = None) -> list[str]:
    """Parse the documents and write the raw seeds into ``seeds_dir`` (all or nothing: see ``staged_files``);
    returns a line per document. Many documents are
    parsed in parallel, one process per core (``workers``: how many; 1 parses here), and written as they
    come, in order; the seeds and the first fault are the same either way."""
    paths = document_paths(inputs)
    layout = read_layout()
    if workers is None:
        size = sum(path.stat().st_size for path in paths if path.is_file())
        workers = 1 if size < _PARALLEL_BYTES else _cores()
    summary = []
    with (staged_files(seeds_dir, list(SEED_COLUMNS)) as out,
          closing(_parsed_in_order(paths, layout, workers)) as parts):
        for name, columns in SEED_COLUMNS.items():
            out[name].write(_csv_line(columns).encode())
        for part in parts:
            for name, lines in part.lines.items():
                out[name].write(lines)
            summary.extend(part.summaries)
    return summary


# Below this much text, starting processes costs more than parsing in them saves (measured: make bench).
_PARALLEL_BYTES = 2_000_000
_DOCUMENTS_PER_TASK = 8


def _cores() -> int:
    """Processes worth starting here: one per core this process may use, on Linux (workers are forked, and
    die with the loader through prctl); elsewhere the loader parses in its own process."""
    if sys.platform != "linux":
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), 8))


@dataclass(frozen=True)
class ParsedTask:
    """A run of documents parsed: their seed lines together, as UTF-8 (by seed file name; what the loader
    writes as it is), their lines for ``load`` to report, and the fault that ended the run, if one did
    (after the documents summarised)."""

    lines: dict[str, bytes]
    summaries: list[str]
    error: ParseError | None


def _parse_documents(paths: list[Path], layout: Layout) -> ParsedTask:
    """The documents' seed lines, in order, up to the first bad one. A worker encodes and joins them, so
    that the loader's own process, which writes every line, only copies bytes."""
    parts: list[DocumentSeeds] = []
    error = None
    for path in paths:
        try:
            (loaded,) = load_documents([path], layout)
        except ParseError as fault:
            error = fault
            break
        parts.append(_seed_lines(loaded))
    return ParsedTask({name: "".join(part.lines[name] for part in parts).encode() for name in SEED_COLUMNS},
                      [part.summary for part in parts], error)


def _parsed_in_order(paths: list[Path], layout: Layout, workers: int) -> Iterator[ParsedTask]:
    """Every document parsed, in order, a few at a time; raises the first fault in that order, as one
    process would (a repeated file name before that document is read). The worker processes are forked
    (they start at once, with this module loaded), leave signals to this one, and are gone when this ends
    or is closed."""
    tasks = [paths[start:start + _DOCUMENTS_PER_TASK] for start in range(0, len(paths), _DOCUMENTS_PER_TASK)]
    if workers <= 1 or len(tasks) < 2:
        results: Iterable[ParsedTask] = (_parse_documents(task, layout) for task in tasks)
        pool = None
    else:
        # Ctrl-C and SIGTERM wait while the pool runs, and take effect once it is gone: raised as an exception
        # inside the executor's own locking, they could leave it waiting forever (seen: a SIGTERM hung it).
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(os.getpid(),))
        results = (future.result() for future in [pool.submit(_parse_documents, task, layout) for task in tasks])
    try:
        names: set[str] = set()
        for task, done in zip(tasks, results, strict=True):
            for parsed, path in enumerate(task):
                if path.name in names:
                    raise ParseError(path.name, None, "two input documents have this file name")
                names.add(path.name)
                if parsed == len(done.summaries) and done.error:
                    raise done.error
            yield done
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


_STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _start_worker(loader: int) -> None:
    """A worker leaves Ctrl-C and the like to the loader's own process, which stops the workers, and dies
    with it if it is killed outright."""
    for number in _STOPPING:
        signal.signal(number, signal.SIG_IGN)
    die_with_parent(loader)
