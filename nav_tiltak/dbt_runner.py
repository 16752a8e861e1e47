"""Running dbt in this project, one build at a time."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from nav_tiltak.paths import LOCK_FILE, PROJECT_DIR


def audit_database_of(database: Path) -> Path:
    """The publisher's database dbt writes beside ``database`` (profiles.yml attaches it as `publisher`): the
    disclosure audit's cell-by-cell results, which BI tools never see."""
    return database.with_name(f"{database.stem}_audit{database.suffix}")


@dataclass(frozen=True)
class DbtResult:
    status: int  # dbt's exit status
    disk_full: str | None  # the line of dbt's output that said a disk was full, if one did


# How DuckDB and Python say that a disk is full.
_DISK_FULL = re.compile(r"No space left on device|disk is full|ENOSPC", re.IGNORECASE)


def run_dbt(database: Path, arguments: list[str], pass_fds: tuple[int, ...] = (),
            defaults: dict[str, str] | None = None) -> DbtResult:
    """Run dbt in this project against ``database``; dbt's output goes to ours, read on the way for a full
    disk. ``defaults`` are environment variables that the caller's own environment overrides. dbt runs as
    ``nav_tiltak.dbt_cli`` (see there why), with no tracking, and with nav_tiltak importable for the Python
    models (the audit)."""
    command = [sys.executable, "-m", "nav_tiltak.dbt_cli", *arguments,
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    # Inside the project, the database is named relative to it (dbt runs there): the profile dbt hashes for
    # its parse cache is then the same in every copy of the project, which may carry that cache along.
    named = database.relative_to(PROJECT_DIR) if database.is_relative_to(PROJECT_DIR) else database
    environment = {**(defaults or {}), **os.environ, "NAV_TILTAK_DATABASE": str(named), "DO_NOT_TRACK": "1",
                   "NAV_TILTAK_AUDIT_DATABASE": str(audit_database_of(named)),
                   "NAV_TILTAK_BUILD_PID": str(os.getpid()),
                   "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")]))}
    # dbt runs in a process group of its own, so that stopping it stops everything it started (its
    # multiprocessing helpers too) at once and quietly; it dies with the build (nav_tiltak.dbt_cli).
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=environment, pass_fds=pass_fds,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               process_group=0)
    full: list[str] = []
    echo = threading.Thread(target=_echo, args=(process.stdout, full), daemon=True)
    echo.start()
    try:
        status = process.wait()
        echo.join()
        return DbtResult(status, full[0] if full else None)
    except BaseException:  # the build was stopped (Ctrl-C, SIGTERM): its database is thrown away
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


def _echo(stream, full: list[str]) -> None:
    """Copy dbt's output to ours line by line, noting the first line that says a disk is full."""
    for raw in stream:
        with suppress(OSError):  # our own output gone (a closed pipe): dbt runs on
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()
        if not full and _DISK_FULL.search(line := raw.decode("utf-8", errors="replace")):
            full.append(line.strip()[:200])
    stream.close()


@contextmanager
def build_lock() -> Iterator[int]:
    """Hold the project's build lock; waits, saying so, while another build holds it.

    The lock is an flock on target/build.lock: the kernel releases it when its holders die, so a killed
    build never leaves it stuck. dbt inherits it, so a build's dbt outliving its parent still holds it.
    """
    LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 64, 0).decode(errors="replace").strip() or "unknown"
            print(f"another build (process {holder}) is running in {PROJECT_DIR}; waiting for it to finish",
                  file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:  # who holds it, for the message above; a full disk may refuse even these few bytes
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        except OSError:
            pass
        yield descriptor
    finally:
        os.close(descriptor)
