"""A stand-in for ``nav_tiltak.dbt_cli`` in a test's copy of the project: dbt's step of a build, cached.

The tests of what a build does around dbt (publishing, signals, full disks, readers, locks) build the same
input again and again. In a copy where this file replaces nav_tiltak/dbt_cli.py (conftest.with_standin), the
first `dbt build` of an input runs the real dbt (nav_tiltak/dbt_cli_real.py, the original) and keeps the
database it wrote and what it printed, keyed by the raw seeds, dbt's arguments and the project's models; a
later build of the same input gets a copy of that database and the same output, at once, or slowly where a
test needs a "while dbt writes" moment (NAV_TILTAK_STANDIN_SECONDS). A build that fails is never cached:
every data fault meets the real dbt.
"""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from nav_tiltak.processes import die_with_parent

_HASHED = ("models", "macros", "seeds/reference", "dbt_project.yml", "profiles.yml")


def _key(project: Path, arguments: list[str]) -> str:
    digest = hashlib.sha256(json.dumps(arguments).encode())
    variables = json.loads(arguments[arguments.index("--vars") + 1]) if "--vars" in arguments else {}
    raw = project / variables.get("raw_dir", "seeds/raw")
    for folder in (*(project / name for name in _HASHED), raw):
        for path in sorted(folder.rglob("*") if folder.is_dir() else [folder]):
            if path.is_file():
                digest.update(str(path.relative_to(project)).encode() + path.read_bytes())
    return digest.hexdigest()[:32]


def _copy(source: Path, target: Path, seconds: float) -> None:
    """Copy ``source`` to ``target``, spread over ``seconds`` (16 pieces) where a test asks for time."""
    data = source.read_bytes()
    with open(target, "wb") as out:
        for start in range(0, len(data), max(1, len(data) // 16 + 1)):
            out.write(data[start:start + len(data) // 16 + 1])
            out.flush()
            time.sleep(seconds / 16)


def main() -> int:
    die_with_parent(int(os.environ.get("NAV_TILTAK_BUILD_PID", os.getppid())))
    arguments = sys.argv[1:]
    project = Path.cwd()
    database = project / os.environ["NAV_TILTAK_DATABASE"]
    audit = project / os.environ["NAV_TILTAK_AUDIT_DATABASE"]  # the publisher's database, beside it
    cache = Path(os.environ["NAV_TILTAK_DBT_CACHE"])
    entry = cache / _key(project, arguments)
    seconds = float(os.environ.get("NAV_TILTAK_STANDIN_SECONDS", "0"))
    if arguments[:1] == ["build"]:
        cache.mkdir(parents=True, exist_ok=True)
        lock = os.open(cache / f".{entry.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(lock, fcntl.LOCK_EX)  # the same input building elsewhere (another worker): wait, then copy
    if arguments[:1] == ["build"] and (entry / "warehouse.duckdb").exists():
        try:
            _copy(entry / "warehouse.duckdb", database, seconds)
            _copy(entry / "publisher.duckdb", audit, 0)
        except OSError as error:  # as dbt says it: the build reads the line for a full disk
            print(f"IO Error: Could not write file {database}: {error.strerror}", flush=True)
            return 1
        sys.stdout.write((entry / "stdout.txt").read_text(encoding="utf-8"))
        return 0
    real = subprocess.Popen([sys.executable, "-m", "nav_tiltak.dbt_cli_real", *arguments], stdout=subprocess.PIPE,
                            env={**os.environ, "NAV_TILTAK_BUILD_PID": str(os.getpid())})
    printed = []
    for line in real.stdout:
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
        printed.append(line.decode("utf-8", errors="replace"))
    status = real.wait()
    if status == 0 and arguments[:1] == ["build"]:
        staged = cache / f".{entry.name}.{os.getpid()}"
        staged.mkdir(parents=True)
        for source, name in ((database, "warehouse.duckdb"), (audit, "publisher.duckdb")):
            for suffix in ("", ".wal"):
                if source.with_name(source.name + suffix).exists():
                    shutil.copyfile(source.with_name(source.name + suffix), staged / f"{name}{suffix}")
            with duckdb.connect(str(staged / name)) as connection:
                connection.execute("checkpoint")  # the log folded in: the one file is the database
        (staged / "stdout.txt").write_text("".join(printed), encoding="utf-8")
        try:
            os.replace(staged, entry)
        except OSError:  # another worker cached the same build first
            shutil.rmtree(staged, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
