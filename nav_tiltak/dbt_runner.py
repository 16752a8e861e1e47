"""Running dbt in this project, one build at a time."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nav_tiltak.paths import LOCK_FILE, PROJECT_DIR


def run_dbt(database: Path, arguments: list[str], pass_fds: tuple[int, ...] = (),
            defaults: dict[str, str] | None = None) -> int:
    """Run dbt in this project against ``database``; dbt's output goes to ours. ``defaults`` are
    environment variables that the caller's own environment overrides. dbt runs as ``nav_tiltak.dbt_cli``
    (see there why), with no tracking, and with nav_tiltak importable for the Python models (the audit)."""
    command = [sys.executable, "-m", "nav_tiltak.dbt_cli", *arguments,
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    environment = {**(defaults or {}), **os.environ, "NAV_TILTAK_DATABASE": str(database), "DO_NOT_TRACK": "1",
                   "NAV_TILTAK_BUILD_PID": str(os.getpid()),
                   "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")]))}
    # dbt runs in a process group of its own, so that stopping it stops everything it started (its
    # multiprocessing helpers too) at once and quietly; it dies with the build (nav_tiltak.dbt_cli).
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=environment, pass_fds=pass_fds,
                               stdin=subprocess.DEVNULL, process_group=0)
    try:
        return process.wait()
    except BaseException:  # the build was stopped (Ctrl-C, SIGTERM): its database is thrown away
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


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
