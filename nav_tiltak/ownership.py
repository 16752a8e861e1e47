"""What the project may remove or replace: only a folder it can prove it wrote.

A folder the project writes (a warehouse's builds folder, `make protect`'s output) holds a marker file with
a random id and, for an output folder, the name and SHA-256 of every file written into it. A folder is the
project's only if its marker is there and, where it lists files, the folder holds exactly those files,
unchanged: a user's file added beside them, or an edited one, makes it theirs, and it is left alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

MARKER = ".nav-tiltak.json"


def mark(folder: Path, kind: str, files: list[str] | None = None) -> None:
    """Write the marker of ``kind`` into ``folder`` (ours: just made), listing ``files`` with their SHA-256."""
    content = {"written_by": "nav-tiltak", "kind": kind, "id": uuid.uuid4().hex}
    if files is not None:
        content["files"] = {name: _sha256(folder / name) for name in sorted(files)}
    temporary = folder / f".{MARKER}.tmp"
    temporary.write_text(json.dumps(content, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, folder / MARKER)


def is_ours(folder: Path, kind: str) -> bool:
    """Whether ``folder`` (not a link) holds our marker of ``kind``, and, if the marker lists files, exactly
    those files, unchanged."""
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
        return True
    if not isinstance(files, dict):
        return False
    try:
        present = {entry.name for entry in folder.iterdir()} - {MARKER}
        return present == set(files) and all(
            (folder / name).is_file() and not (folder / name).is_symlink() and _sha256(folder / name) == digest
            for name, digest in files.items())
    except OSError:
        return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
