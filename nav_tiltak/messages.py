"""What a person reads when something is refused: one line, with the place, and nothing raw from a file.

``ParseError`` is bad input, ``FILE:LINE: what is wrong`` (``FILE:SHEET!CELL`` in a workbook, ``FILE`` for a
fault of the whole file); ``shown`` is how a message quotes text from a document or a path.
"""

from __future__ import annotations


def shown(text: str, limit: int = 60) -> str:
    """Text from a document or a path as a message shows it: control characters escaped (never sent raw to
    a terminal), and cut after ``limit`` characters."""
    cut = text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"
    if cut.isprintable():
        return cut
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in cut)


class ParseError(ValueError):
    """Bad input: the message names the file and the place, ``FILE:LINE: what is wrong`` for a text
    document, ``FILE:SHEET!CELL: ...`` for a workbook, ``FILE: ...`` for a fault of the whole file."""

    def __init__(self, source_name: str, position: int | str | None, message: str):
        where = shown(source_name, limit=200)
        super().__init__(f"{where}: {message}" if position is None else f"{where}:{position}: {message}")

    def __reduce__(self):  # from a loader's worker process to the loader: the message as made
        return _parse_error, (str(self),)


def _parse_error(text: str) -> ParseError:
    error = ParseError.__new__(ParseError)
    ValueError.__init__(error, text)
    return error
