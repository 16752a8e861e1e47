"""What the project may remove or replace: only a folder it can prove it wrote.

A folder the project writes (a warehouse's builds folder and each build in it, `make protect`'s output, the
seeds `load` writes) holds a marker file with a random id and, for a folder of output, every file written
into it (its path, and its size and modification time or its SHA-256). A folder is the project's only if
its marker is there and, where it lists files, the folder holds exactly those files, unchanged: a user's file
added beside them, or an edited one, makes it theirs, and it is left alone.

A single file the project writes (a page, a workbook) is the project's only if it carries the project's
signature (``write_file`` replaces nothing else, and never writes through a link).

``replace_folder`` puts a new output folder in the place of an old one of the project's, in two renames,
and ``leftovers`` finds what a killed run left beside it (the project's folders, by their marker, or empty
ones named like them), so that nothing is half-written and nothing else is ever removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

MARKER = ".nav-tiltak.json"


def mark(folder: Path, kind: str, files: list[str] | None = None, digest: bool = True) -> None:
    """Write the marker of ``kind`` into ``folder`` (ours: just made), listing ``files`` (paths relative to
    it) with their SHA-256, or with ``digest`` false their size and modification time (large files)."""
    content: dict = {"written_by": "nav-tiltak", "kind": kind, "id": uuid.uuid4().hex}
    if files is not None:
        content["files"] = {name: _fingerprint(folder / name, digest) for name in sorted(files)}
    temporary = folder / f".{MARKER}.tmp"
    temporary.write_text(json.dumps(content, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, folder / MARKER)


def files_in(folder: Path) -> list[str]:
    """Every file under ``folder`` but the marker, as paths relative to it."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                  if not path.is_dir() and path.name != MARKER)


def is_ours(folder: Path, kind: str, files_required: bool = False) -> bool:
    """Whether ``folder`` (not a link) holds our marker of ``kind`` and, if the marker lists files (it must
    where ``files_required``), exactly those files (and their folders), unchanged."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        content = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(content, dict) or content.get("written_by") != "nav-tiltak" or content.get("kind") != kind:
        return False
    files = content.get("files")
    if files is None:
        return not files_required
    if not isinstance(files, dict):
        return False
    try:
        return (files_in(folder) == sorted(files)
                and all(not (folder / name).is_symlink()
                        and _fingerprint(folder / name, isinstance(expected, str)) == expected
                        for name, expected in files.items()))
    except OSError:
        return False


def _fingerprint(path: Path, digest: bool) -> str | list[int]:
    if not digest:
        status = path.stat()
        return [status.st_size, status.st_mtime_ns]
    hashed = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hashed.update(block)
    return hashed.hexdigest()


def staging_folder(output: Path) -> Path:
    """A new folder beside ``output`` to write a new version of it in, marked as the project's at once (so
    that ``leftovers`` knows it if the run is killed)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new.", dir=output.parent))
    mark(staging, _STAGING)
    return staging


def replace_folder(output: Path, staging: Path, kind: str, check) -> None:
    """Put ``staging`` (written, marked as ``kind`` with its files) in the place of ``output``: the old one
    (``check(output)`` refuses it unless it is ours, unchanged, or empty) is renamed over a new empty folder
    of a name nobody else has, the new one renamed into place, then the old removed. Signals are the
    caller's to hold back around this."""
    replaced = Path(tempfile.mkdtemp(prefix=f".{output.name}.replaced.", dir=output.parent))
    try:
        if output.exists() or output.is_symlink():
            check(output)
            os.replace(output, replaced)
        os.replace(staging, output)
    finally:
        if replaced.exists() and (is_ours(replaced, kind) or not any(replaced.iterdir())):
            shutil.rmtree(replaced, ignore_errors=True)


def leftovers(output: Path, kind: str) -> list[Path]:
    """What killed runs left beside ``output``: folders named like the project's new or replaced versions
    of it, holding the project's marker (of ``kind``, or of a folder being written) or nothing at all."""
    found = []
    for candidate in output.parent.glob(f".{output.name}.*.*"):
        if candidate.name.split(".")[-2] not in ("new", "replaced") or candidate.is_symlink():
            continue
        if is_ours(candidate, _STAGING) or is_ours(candidate, kind) or (candidate.is_dir()
                                                                         and not any(candidate.iterdir())):
            found.append(candidate)
    return found


_STAGING = "being written"  # the marker of a folder a run is writing (a new version of an output)


class NotOurs(Exception):
    """An output path that holds something the project cannot prove it wrote (nothing was written)."""


def refusal(path: Path, ours, what: str = "file") -> str | None:
    """Why the project may not write a file at ``path`` (a link, not a file, or a file that ``ours(path)``
    does not prove the project wrote, named a ``what``), or None: nothing is there, or the project's own."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return "is a link or not a file"
    if path.exists() and not ours(path):
        return f"exists and is not a {what} nav-tiltak wrote"
    return None


def write_file(path: Path, data: bytes, ours, what: str = "file") -> None:
    """Write ``data`` to ``path`` in one rename, replacing only a regular file that ``ours(path)`` proves the
    project wrote; a link, a folder or anyone else's file there is refused (NotOurs) and left as it is."""
    if why := refusal(path, ours, what):
        raise NotOurs(why, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def starts_with(signature: bytes):
    """Whether a file begins with ``signature`` (how a page of the project's is known)."""
    def check(path: Path) -> bool:
        try:
            with open(path, "rb") as handle:
                return handle.read(len(signature)) == signature
        except OSError:
            return False
    return check
