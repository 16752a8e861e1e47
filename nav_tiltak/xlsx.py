"""Reading an Excel workbook safely: what it is, which sheets it has (and which are hidden), and their cells,
read with python-calamine only once the file has been checked to be within limits far above NAV's.

A .xlsx file is a zip of XML parts. Before any part is read for its cells, the zip's declared sizes are
checked (a few kilobytes can unpack to gigabytes) and every worksheet is scanned for the cells it names (one
cell at XFD1048576 would make the reader allocate a grid of 17 billion cells): a sheet beyond the limits is
refused with ``FILE:SHEET`` and the limit, before anything is allocated for it.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook

from nav_tiltak.messages import ParseError, shown

# NAV's largest sheets (a municipality sheet of TILT130: a block per measure type, 360 rows each) have a
# few thousand rows and 15 columns, and a workbook unpacks to a few megabytes.
MAX_ROWS = 100_000
MAX_COLUMNS = 256
MAX_CELLS = 4_000_000  # rows x columns of the grid a sheet spans, which the reader allocates
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
_MAX_PART_BYTES = 16 * 1024 * 1024  # the workbook's own list of sheets and their links

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls (and other Office files before 2007)
_ZIP = b"PK\x03\x04"
_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")
_NAMESPACES = {"main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
               "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
               "pkg": "http://schemas.openxmlformats.org/package/2006/relationships"}


@dataclass(frozen=True)
class Workbook:
    """A checked workbook: its sheets in order, which are visible, and their cells on demand."""

    source_name: str
    sheet_names: tuple[str, ...]
    visible: frozenset[str]
    _reader: CalamineWorkbook

    def rows(self, sheet: str) -> list[list[object]]:
        """The sheet's cells from A1, row by row (within the checked limits)."""
        try:
            return self._reader.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as error:  # python-calamine raises its own error types for damaged files
            raise ParseError(self.source_name, sheet, f"cannot be read ({shown(str(error), 200)})") from None


def what_it_is(data: bytes) -> str | None:
    """What a file that should be text is, if it is a spreadsheet: a message to say so, else None."""
    if data.startswith(_OLE2):
        return "is an old Excel workbook (.xls) or another pre-2007 Office file, not text: open it in Excel or " \
               "LibreOffice and save it as an Excel workbook (.xlsx)"
    if data.startswith(_ZIP):
        return "is a zip file (an Excel workbook?), not text: if it is a workbook, name it .xlsx"
    return None


def open_workbook(data: bytes, source_name: str) -> Workbook:
    """Check a .xlsx file's bytes and open it; refuses what is not a workbook, or is beyond the limits."""
    if data.startswith(_OLE2):
        raise ParseError(source_name, None, "is an old Excel workbook (.xls), not a .xlsx one: open it in Excel or "
                                            "LibreOffice and save it as an Excel workbook (.xlsx)")
    if not data.startswith(_ZIP):
        raise ParseError(source_name, None, "is not an Excel workbook (.xlsx is a zip file; this is not one)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = _sheets(archive, source_name)
            for name, (part, _) in sheets.items():
                _check_extent(archive, part, source_name, name)
    except ParseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, KeyError, ValueError, EOFError,
            NotImplementedError, RuntimeError) as error:
        raise ParseError(source_name, None, f"cannot be read as an Excel workbook ({shown(str(error), 200)})") from None
    try:
        reader = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # python-calamine raises its own error types for damaged files
        raise ParseError(source_name, None, f"cannot be read as an Excel workbook ({shown(str(error), 200)})") from None
    return Workbook(source_name, tuple(sheets), frozenset(name for name, (_, visible) in sheets.items() if visible),
                    reader)


def _sheets(archive: zipfile.ZipFile, source_name: str) -> dict[str, tuple[str, bool]]:
    """Each worksheet's name -> (its part in the zip, visible), in the workbook's order; refuses a zip whose
    parts unpack to more than the limit (by their declared sizes, which reading then holds them to)."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise ParseError(source_name, None, f"unpacks to {unpacked / 2**20:,.0f} MiB; a NAV workbook unpacks to a few "
                                            f"megabytes (the limit is {MAX_UNPACKED_BYTES / 2**20:,.0f} MiB)")
    book = ElementTree.fromstring(_part(archive, "xl/workbook.xml"))
    links = ElementTree.fromstring(_part(archive, "xl/_rels/workbook.xml.rels"))
    targets = {link.get("Id"): link.get("Target", "") for link in links.findall("pkg:Relationship", _NAMESPACES)}
    sheets = {}
    for sheet in book.findall("main:sheets/main:sheet", _NAMESPACES):
        target = targets.get(sheet.get(f"{{{_NAMESPACES['rel']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        sheets[sheet.get("name", "")] = (part, sheet.get("state", "visible") == "visible")
    return sheets


def _part(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > _MAX_PART_BYTES:
        raise ValueError(f"its part {name} is larger than {_MAX_PART_BYTES // 1024 // 1024} MB")
    return archive.read(name)


def _check_extent(archive: zipfile.ZipFile, part: str, source_name: str, sheet: str) -> None:
    """Refuse a worksheet whose cells (or declared dimension, or merged ranges) reach beyond the limits. The
    sheet's XML is read as a stream and placed as the reader places it: a row or cell without its own
    reference ("r") comes right after the one before."""
    rows = columns = 0

    def reach(row: int, column: int) -> None:
        nonlocal rows, columns
        rows, columns = max(rows, row), max(columns, column)
        if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
            raise ParseError(source_name, sheet, f"the sheet reaches row {rows:,} and column {columns:,}; a NAV "
                                                 f"sheet is within {MAX_ROWS:,} rows, {MAX_COLUMNS} columns and "
                                                 f"{MAX_CELLS:,} cells in all")

    row = column = 0
    data = None  # the sheetData element, emptied after each row: a sheet of any size in constant memory
    with archive.open(part) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "end":
                if tag == "row" and data is not None:
                    data.clear()
                continue
            if tag == "sheetData":
                data = element
            elif tag == "row":
                row = int(element.get("r") or row + 1)
                column = 0
                reach(row, 1)
            elif tag == "c":
                reference = _REFERENCE.fullmatch(element.get("r") or "")
                column = _column(reference[1]) if reference else column + 1
                reach(int(reference[2]) if reference else row, column)
            elif tag in ("dimension", "mergeCell"):
                for corner in (element.get("ref") or "").split(":"):
                    reference = _REFERENCE.fullmatch(corner)
                    if reference:
                        reach(int(reference[2]), _column(reference[1]))


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
