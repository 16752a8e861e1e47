"""The benchmark (`make bench`, ``python -m bench.measure``): anyone can rerun it; writes docs/benchmarks.md.

Kept out of the runtime package (nav_tiltak): it measures the project, and nothing the project runs needs it.

For N = 1 (the shipped 2021 document), 10 and 100 editions (synthetic, in NAV's exact format; more with
``--editions``, e.g. 1000) it measures, in one run on this machine:

- the loader's throughput (MB/s of document text, CSV writing included), against a baseline measured in
  the same run: a plain Python line parser that splits lines and tabs and writes one CSV row per line;
- the end-to-end build (load + `dbt build` with every test + publish), warm, and its peak memory, with
  dbt's own node times split into transformations, the disclosure audit and the tests;
- a floor: the same transformations as one plain DuckDB SQL script (bench/floor.sql) over the same raw
  CSVs, without dbt; reported as a ratio (transformations / floor);
- the same SQL without dbt: what dbt compiled for the transformations, run as plain statements (the same
  marts, checked), which splits that ratio into dbt's part and the models' part;
- dbt's own fixed cost: `dbt build` of an empty selection (start, parse, connect, nothing run).

The municipality-scale workload (``--areas 1 10``: numbers of years): full synthetic NAV workbooks
(``nav_tiltak.synthetic.area_years``: TILT100 and TILT110-TILT180 with their national, county and
municipality sheets, every measure type), a year each from the first year NAV's files have every sheet. For
each number of years: the generation, the end-to-end build (warm, best of 2) and its peak memory, dbt's node
times (transformations, the disclosure audit node by node, the tests), the audit's time per suppressed cell,
the floor; and for one year `make protect` (`nav-tiltak protect` on the one-year folder): its wall time, node
times and the plan's objective against the solver's bound (protection.suppression_plan), or how far it got
within ``--protect-timeout``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import multiprocessing
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import yaml

from nav_tiltak.layout import read_layout
from nav_tiltak.load import ROWS_SEED, load, load_documents
from nav_tiltak.paths import BUILD_RAW_DIR, DEFAULT_INPUT, PROJECT_DIR, REFERENCE_DIR, copy_project
from nav_tiltak.publish import open_audit
from nav_tiltak.synthetic import area_years, document

DEFAULT_REPORT = PROJECT_DIR / "docs" / "benchmarks.md"
BENCH_WAREHOUSE = Path("warehouse") / "bench.duckdb"  # what the benchmark builds, in its copy of the project
PROTECT_WAREHOUSE = Path("warehouse") / "protect.duckdb"  # what its `make protect` builds
PROTECT_TIMEOUT = 1800.0  # seconds `make protect` of one year may take before the benchmark stops it


def editions(folder: Path, count: int) -> Path:
    """N editions: the shipped 2021 document alone for N = 1, else synthetic years from 2020 on."""
    folder.mkdir(parents=True, exist_ok=True)
    if count == 1:
        for path in DEFAULT_INPUT.glob("*.txt"):
            shutil.copyfile(path, folder / path.name)
    else:
        for year in range(2020, 2020 + count):
            (folder / f"synthetic-{year}.txt").write_text(document(year), encoding="utf-8")
    return folder


def _apart() -> ProcessPoolExecutor:
    """A new Python process (spawned, not forked) to measure in."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


def best_of(runs: int, action) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def loader_seconds(folder: Path, output: Path) -> dict[str, float]:
    """The loader (``nav_tiltak.load.load``: read, parse, write the raw seeds; in parallel when the input is
    large, as a build loads), the loader in one process, and its baseline, a plain Python line parser (read,
    split lines and tabs, write a CSV row per line). Interleaved, best of 5 each: this machine's speed drifts
    by more than the differences measured, and a drift then slows all three alike."""
    paths = sorted(folder.glob("*.txt"))
    output.mkdir(parents=True, exist_ok=True)

    def parse_plainly() -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for path in paths:
            for line in path.read_text(encoding="utf-8").splitlines():
                if "\t" in line:
                    writer.writerow(line.split("\t"))
        (output / "baseline.csv").write_text(buffer.getvalue(), encoding="utf-8")

    actions = {"loader": lambda: load([folder], output / "seeds"),
               "loader_one_process": lambda: load([folder], output / "seeds", workers=1),
               "baseline": parse_plainly}
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(5):
        for name, action in actions.items():
            timings[name].append(best_of(1, action))
    return {name: min(seconds) for name, seconds in timings.items()}


def area_input(folder: Path, years: int) -> tuple[Path, float]:
    """``years`` years of full synthetic NAV workbooks (national, county and municipality sheets), from the
    first year NAV's files have every sheet; and the seconds their generation took (a process per core)."""
    first = max(sheet.from_year for sheet in read_layout().sheets)
    started = time.perf_counter()
    area_years(folder, list(range(first, first + years)))
    return folder, time.perf_counter() - started


def end_to_end(project: Path, folder: Path, warm_runs: int, nodes: bool = False) -> dict[str, float]:
    """A first (cold) build, then ``warm_runs`` warm ones: the fastest warm build's wall time and dbt node
    timings (``nodes``: each node's too), and the largest peak memory of any build."""
    command = [sys.executable, str(project / "scripts" / "nav-tiltak"), "build", str(folder), "--warehouse",
               str(project / BENCH_WAREHOUSE)]
    fastest: dict[str, float] = {}
    peak_mb = 0.0
    for run in range(1 + warm_runs):
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   env=dict(os.environ, DO_NOT_TRACK="1", DBT_WRITE_JSON="true"))
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"build of {folder} failed: {process.stderr.read().decode()[-2000:]}")
        peak_mb = max(peak_mb, usage.ru_maxrss / 1024)
        if run > 0 and (not fastest or wall < fastest["wall"]):
            fastest = {"wall": wall, **node_timings(project), **({"nodes": node_seconds(project)} if nodes else {})}
    return {**fastest, "peak_mb": peak_mb}


def dbt_fixed_seconds(project: Path, scratch: Path) -> float:
    """dbt's own fixed cost, as a build pays it: `dbt build` of a selection that matches nothing (the
    process starting, dbt parsing the project from its partial-parse cache, connecting), best of 3."""
    command = [sys.executable, "-m", "nav_tiltak.dbt_cli", "build", "--select", "tag:nothing_has_this_tag",
               "--project-dir", str(project), "--profiles-dir", str(project)]
    environment = dict(os.environ, DO_NOT_TRACK="1", PYTHONPATH=str(project),
                       NAV_TILTAK_DATABASE=str(scratch / "fixed-cost.duckdb"))

    def empty_build() -> None:
        subprocess.run(command, cwd=project, env=environment, stdout=subprocess.DEVNULL, check=True)

    return best_of(3, empty_build)


def node_timings(project: Path) -> dict[str, float]:
    """dbt's node times from the last build, in three parts."""
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    nodes = json.loads((project / "target" / "manifest.json").read_text())["nodes"]
    # dbt runs one node at a time (profiles.yml: threads 1), so node times add up. The transformation part
    # is what bench/floor.sql also does: seeds and models up to the marts. The audit part is the relations
    # the audit solves (int_relations, which the data rules also check) and the models of models/audit/.
    timings = {"transform": 0.0, "audit": 0.0, "tests": 0.0}
    for result in results:
        part = _part(result["unique_id"], nodes.get(result["unique_id"], {}))
        if part:
            timings[part] += result["execution_time"]
    return timings


def node_seconds(project: Path) -> dict[str, tuple[str, float]]:
    """Each dbt node's part and seconds in the last build (run_results.json), by name, slowest first."""
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    nodes = json.loads((project / "target" / "manifest.json").read_text())["nodes"]
    found = {}
    for result in results:
        node = nodes.get(result["unique_id"], {})
        part = _part(result["unique_id"], node)
        if part:
            found[node.get("name", result["unique_id"])] = (part, result["execution_time"])
    return dict(sorted(found.items(), key=lambda item: -item[1][1]))


def _part(unique_id: str, node: dict) -> str | None:
    """Which part of the build a dbt node is: "transform", "audit", "tests", or None (hooks, exposures)."""
    kind = unique_id.split(".")[0]
    if kind in {"seed", "model"}:
        audit = "disclosure_audit" in node.get("tags", []) or node.get("name") == "int_relations"
        return "audit" if audit else "transform"
    return "tests" if kind == "test" else None


def _profile(project: Path = PROJECT_DIR) -> dict:
    """The project's DuckDB profile (profiles.yml): the file format it writes and the settings it runs with."""
    return yaml.safe_load((project / "profiles.yml").read_text())["nav_tiltak"]["outputs"]["default"]


def same_sql_seconds(project: Path, raw: Path, scratch: Path, runs: int) -> float:
    """The transformations of the last build without dbt: the SQL dbt compiled for each model up to the
    marts, and each reference seed read by DuckDB with the type dbt gave its columns, run in the build's order
    as plain statements, with the profile's settings, into a new database file named like the build's (the
    compiled SQL names it), best of ``runs``. Against the build it is what dbt adds (its work per node, the
    contracts' checks, the column comments); against the floor, what the models do beyond the floor's script."""
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    with duckdb.connect(str(project / BENCH_WAREHOUSE), read_only=True) as built:
        types: dict[tuple[str, str], dict[str, str]] = {}  # of each table's columns, in order
        for schema, table, column, kind in built.execute(
                "select table_schema, table_name, column_name, data_type from information_schema.columns "
                "order by table_schema, table_name, ordinal_position").fetchall():
            types.setdefault((schema, table), {})[column] = kind
    raw_literal = "'" + str(raw).replace("'", "''") + "/"
    statements = []
    for result in results:
        node = manifest["nodes"].get(result["unique_id"], {})
        if _part(result["unique_id"], node) != "transform":
            continue
        statements.append(f'create schema if not exists "warehouse"."{node["schema"]}"')
        if node["resource_type"] == "seed":
            columns = ", ".join(f"'{name}': '{kind}'" for name, kind in types[node["schema"], node["alias"]].items())
            path = str(project / node["original_file_path"]).replace("'", "''")
            source = (f"select * from read_csv('{path}', header = true, "
                      f"auto_detect = false, columns = {{{columns}}})")
            statements.append(f"create table {node['relation_name']} as {source}")
        else:  # a build reads its raw CSVs from its own folder (nav_tiltak.build); these are the same files
            code = node["compiled_code"].replace(f"'{BUILD_RAW_DIR}/", raw_literal)
            statements.append(f"create {node['config']['materialized']} {node['relation_name']} as ({code})")
    if not statements:
        raise RuntimeError("the last build's dbt artifacts name no transformations (was it `dbt build`?)")
    profile = _profile(project)
    database = scratch / "same-sql" / "warehouse.duckdb"
    database.parent.mkdir(exist_ok=True)

    def run() -> None:
        database.unlink(missing_ok=True)
        with duckdb.connect(str(database), config=profile["config_options"]) as connection:
            connection.execute("set enable_progress_bar = false")
            for name, value in profile["settings"].items():
                connection.execute(f"set {name} = '{value}'")
            for statement in statements:
                connection.execute(statement)
            connection.execute("checkpoint")

    seconds = best_of(runs, run)
    # The same SQL must give the same marts: each one's row count and an order-independent hash of its rows.
    def marts(connection: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
        names = connection.execute("select table_name from information_schema.tables where table_schema = 'marts'")
        return {name: connection.execute(f'select count(*), bit_xor(hash(t)) from marts."{name}" as t').fetchone()
                for (name,) in names.fetchall()}

    with (duckdb.connect(str(database), read_only=True) as plain,
          duckdb.connect(str(project / BENCH_WAREHOUSE), read_only=True) as built):
        if marts(plain) != marts(built):
            raise RuntimeError("the build's SQL run without dbt gave other marts than the build")
    return seconds


def workbook_readers(paths: list[Path]) -> dict[str, float]:
    """Seconds to read every cell of every sheet of the workbooks (best of 3), by python-calamine (what the
    loader uses), fastexcel (calamine behind a dataframe API) and openpyxl (read-only mode)."""
    import fastexcel
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    def calamine() -> None:
        for path in paths:
            workbook = CalamineWorkbook.from_path(str(path))
            for name in workbook.sheet_names:
                workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)

    def fast() -> int:
        cells = 0  # each sheet read into memory (its arrow export would need pyarrow)
        for path in paths:
            reader = fastexcel.read_excel(str(path))
            for name in reader.sheet_names:
                sheet = reader.load_sheet(name, header_row=None)
                cells += sheet.height * sheet.width
        return cells

    def openpyxl() -> None:
        for path in paths:
            workbook = load_workbook(path, read_only=True, data_only=True)
            for sheet in workbook.worksheets:
                list(sheet.iter_rows(values_only=True))
            workbook.close()

    return {name: best_of(3, action) for name, action in
            [("python-calamine", calamine), ("fastexcel", fast), ("openpyxl", openpyxl)]}


def workbook_loader_seconds(workbooks: list[Path]) -> float:
    layout = read_layout()
    return best_of(3, lambda: load_documents(workbooks, layout))


def default_input(project: Path) -> dict:
    """The shipped input (the 2021 text and the national workbooks 2023-2026): the loader on the workbooks,
    the readers, and the end-to-end build of it all."""
    workbooks = sorted(DEFAULT_INPUT.glob("*.xlsx"))
    size = sum(path.stat().st_size for path in workbooks) / 1e6
    with _apart() as pool:  # see run()
        loader = pool.submit(workbook_loader_seconds, workbooks).result()
        readers = pool.submit(workbook_readers, workbooks).result()
    build = end_to_end(project, DEFAULT_INPUT, warm_runs=3)
    return {"workbooks": len(workbooks), "workbook_mb": size, "workbook_loader_s": loader,
            "readers": readers, "wall": build["wall"], "peak_mb": build["peak_mb"]}


def protection(warehouse: Path) -> dict:
    """Secondary suppression for the shipped 2021 document (`make protect`'s programs, in this process, on
    the relations of a built warehouse): the plan, the audit of the published tables and the re-audit of
    the protected ones (best of 3), and what the plan costs against the solver's bound."""
    import numpy as np

    from nav_tiltak import protect

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        connection.execute("create temp view relations_2021 as select * from intermediate.int_relations "
                           "where year(month_date) = 2021")
        relations = protect.months_with_a_star(connection, "relations_2021")
    started = time.perf_counter()
    components = protect.plan(relations)
    plan_s = time.perf_counter() - started
    added = np.concatenate([component.added for component in components])
    return {"plan_s": plan_s, "audit_s": best_of(3, lambda: protect.audit(relations)),
            "reaudit_s": best_of(3, lambda: protect.audit(relations, added)), "added": len(added),
            "cost": sum(c.objective for c in components), "bound": sum(c.bound for c in components),
            "suppressed": int(np.unique(relations.cell[relations.low < relations.high]).size)}


def protect_one(project: Path, folder: Path, scratch: Path, timeout: float) -> dict:
    """`make protect` of ``folder`` (`nav-tiltak protect`, in a process group of its own): its wall time and
    peak memory; when it finishes, its dbt node times and the plan (protection.suppression_plan): the
    components, the cells added, the objective against the solver's bound (the gap), the components the
    master's time limit stopped. Stopped after ``timeout`` seconds: how far it got (the node it was in)."""
    log = scratch / "protect.log"
    warehouse = project / PROTECT_WAREHOUSE
    command = [sys.executable, str(project / "scripts" / "nav-tiltak"), "protect", "--warehouse", str(warehouse),
               "--output", str(scratch / "protected"), "--", str(folder)]
    started = time.perf_counter()
    with open(log, "wb") as output:
        environment = dict(os.environ, DO_NOT_TRACK="1", DBT_WRITE_JSON="true")
        process = subprocess.Popen(command, cwd=project, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True, env=environment)
        finished = True
        while True:  # wait4: the exit status and the peak memory of it and the dbt it waited for
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if finished and time.perf_counter() - started > timeout:
                finished = False
                os.killpg(process.pid, signal.SIGTERM)  # its own group: the command and the dbt it started
            elif not finished and time.perf_counter() - started > timeout + 60:
                os.killpg(process.pid, signal.SIGKILL)
            time.sleep(0.2)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    peak_mb = usage.ru_maxrss / 1024
    text = log.read_text(encoding="utf-8", errors="replace")
    if not finished:
        running = [line.split(" START ", 1)[1].split(" .")[0] for line in text.splitlines() if " START " in line]
        return {"finished": False, "wall": timeout, "peak_mb": peak_mb, "stopped_in": running[-1] if running else "?"}
    if process.returncode != 0:
        raise RuntimeError(f"make protect of {folder} failed: {text[-2000:]}")
    with open_audit(warehouse) as connection:  # the plan is in the publisher's database
        components, added, objective, bound, stopped, seconds = connection.execute("""
            select count(*), coalesce(sum(added_cells), 0), coalesce(sum(objective), 0), coalesce(sum(bound), 0),
                count(*) filter (where objective > bound + 1e-6), coalesce(max(seconds), 0)
            from protection.suppression_plan
        """).fetchone()
        primaries = connection.execute("select count(*) from protection.protection_requirements").fetchone()[0]
    return {"finished": True, "wall": wall, "peak_mb": peak_mb, "components": components, "primaries": primaries,
            "added": int(added), "objective": float(objective), "bound": float(bound), "stopped_components": stopped,
            "slowest_component_s": float(seconds), "nodes": node_seconds(project)}


def areas(project: Path, scratch: Path, counts: list[int], protect_timeout: float) -> tuple[list[dict], dict | None]:
    """The municipality-scale workload: for each number of years, the build of the synthetic workbooks
    (best of 2 warm), its dbt nodes, the floor; `make protect` of the one-year folder."""
    rows, protected = [], None
    for count in counts:
        with _apart() as pool:  # see run(): this process must not grow
            folder, generated = pool.submit(area_input, scratch / f"areas-{count}", count).result()
        paths = sorted(folder.glob("*.xlsx"))
        build = end_to_end(project, folder, warm_runs=2, nodes=True)
        raw = (project / BENCH_WAREHOUSE).resolve().parent / "raw"  # the raw seeds the build was made from
        printed = (raw / ROWS_SEED).read_text(encoding="utf-8")
        with _apart() as pool:
            floor = pool.submit(floor_seconds, raw, scratch, 2).result()
        rows.append({"years": count, "workbooks": len(paths), "mb": sum(path.stat().st_size for path in paths) / 1e6,
                     "generated_s": generated, "cells": printed.count("\t") + printed.count("\n") - 1,
                     "suppressed": printed.count("*"), **build, "floor": floor})
        print(json.dumps(rows[-1]), flush=True)
        if count == 1:
            protected = protect_one(project, folder, scratch, protect_timeout)
            print(json.dumps(protected), flush=True)
    return rows, protected


def floor_seconds(raw: Path, scratch: Path, runs: int = 3) -> float:
    """The floor's script, run into a new database file each time (the pipeline writes one too), best of
    ``runs``; the last run's database stays, scratch/floor.duckdb (tests/test_bench.py checks its marts)."""
    script = (PROJECT_DIR / "bench" / "floor.sql").read_text(encoding="utf-8")
    max_count = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["max_count"]
    script = (script.replace("{raw}", str(raw)).replace("{reference}", str(REFERENCE_DIR))
              .replace("{max_count}", str(int(max_count))))
    database = scratch / "floor.duckdb"
    file_format = _profile()["config_options"]  # the warehouse's, which BI tools with DuckDB 1.x can open

    def run() -> None:
        database.unlink(missing_ok=True)
        with duckdb.connect(str(database), config=file_format) as connection:
            connection.execute(script)
            connection.execute("checkpoint")

    return best_of(runs, run)


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    import dbt.version
    return (f"{model}, {os.cpu_count()} cores, {memory} GiB; {platform.platform()}; Python "
            f"{platform.python_version()}, DuckDB {duckdb.__version__}, dbt-core {dbt.version.__version__}")


def run(edition_counts: list[int], output: Path, area_counts: list[int] = (),
        protect_timeout: float = PROTECT_TIMEOUT) -> int:
    """Measure each number of editions, and of years of the municipality-scale workload, write the report to
    ``output`` and print it."""
    rows, shipped, protected, area_rows, area_protected = [], None, None, [], None
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        project = copy_project(scratch / "project")
        fixed = None
        for count in edition_counts:
            folder = editions(scratch / f"editions-{count}", count)
            size = sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6
            # The loader, its baseline and the floor run in a process of their own: a build's peak memory
            # (ru_maxrss) starts from the size of the process that starts it (Linux keeps the parent's at
            # fork), so this one must not grow with the editions.
            with _apart() as pool:
                loader = pool.submit(loader_seconds, folder, scratch / f"loader-{count}").result()
            printed = (scratch / f"loader-{count}" / "seeds" / "raw_nav__rows.csv").read_text(encoding="utf-8")
            cells = printed.count("\t") + printed.count("\n") - 1  # a row's values are separated by tabs
            # Three warm builds where a build takes seconds; two where it takes minutes (one run alone is at
            # the mercy of the machine's drift: the ratios below compare it with baselines).
            runs = 3 if count <= 100 else 2
            build = end_to_end(project, folder, warm_runs=runs)
            with _apart() as pool:  # from the build's dbt artifacts, which dbt's next run replaces
                same_sql = pool.submit(same_sql_seconds, project, scratch / f"loader-{count}" / "seeds", scratch,
                                       runs).result()
            # After the first build, so that dbt's partial-parse cache is as warm as a build finds it.
            fixed = fixed if fixed is not None else dbt_fixed_seconds(project, scratch)
            with _apart() as pool:
                floor = pool.submit(floor_seconds, scratch / f"loader-{count}" / "seeds", scratch).result()
            rows.append({"editions": count, "mb": size, "cells": cells, "suppressed": printed.count("*"),
                         **{f"{name}_mb_s": size / seconds for name, seconds in loader.items()}, **build,
                         "floor": floor, "same_sql": same_sql, "dbt_fixed": fixed})
            print(json.dumps(rows[-1]), flush=True)
        if rows:
            shipped = default_input(project)
            print(json.dumps(shipped), flush=True)
            protected = protection(project / BENCH_WAREHOUSE)  # the default input, built last
            print(json.dumps(protected), flush=True)
        if area_counts:
            area_rows, area_protected = areas(project, scratch, area_counts, protect_timeout)
    report = render(rows, machine(), shipped, protected, area_rows, area_protected)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    print(report)
    return 0


def render(rows: list[dict], machine_line: str, shipped: dict | None = None, protected: dict | None = None,
           area_rows: list[dict] = (), area_protected: dict | None = None) -> str:
    per_100k = lambda r, part: r[part] / r["cells"] * 1e5  # noqa: E731 - seconds per 100,000 printed cells
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}: {machine_line}.",
        "",
        "Every number comes from one run of `make bench`; rerun it to measure your machine (single runs "
        "here vary by about 20%, hence the best of several). Editions: N = 1 is the shipped 2021 document; "
        "larger N are synthetic editions (`nav_tiltak/synthetic.py`) of the same format for the years "
        "from 2020 on (15 counties from 2024). The loader is reading, parsing and writing the raw seed CSVs "
        "as a build does (in parallel, a process per core, from 2 MB of text), and in one process; the plain "
        "line parser, its baseline (one process), splits lines and tabs and writes a CSV row per line; the "
        "three interleaved, best of 5 each. End to end is `scripts/nav-tiltak build` (load, `dbt build` with "
        "every test, export, publish): the fastest of three warm runs after a first, cold one (two above 100 "
        "editions); peak memory is the largest process's resident set in any of them. dbt runs one node at a "
        "time, so its node times add "
        "up: transformations are the seeds and models up to the marts, which `bench/floor.sql` also builds (the "
        "floor: the same transformations and marts as one plain DuckDB script over the same raw CSVs into a new "
        "database file of the warehouse's format, without dbt and without tests, best of 3). The same SQL "
        "without dbt splits the difference: the SQL dbt compiled for those seeds and models in the last build, "
        "run in its order as plain statements with the profile's settings (checked: the same marts, row for "
        "row; best of 3, of 2 above 100 editions), so transformations / same SQL is what dbt adds and same "
        "SQL / floor what the models do beyond the floor's script. The disclosure audit (the relations it "
        "solves, `int_relations`, and `models/audit/`) and the data tests are shown apart. dbt's fixed cost is "
        "`dbt build` of an empty selection on this project (best of 3).",
        "",
        "| editions | text (MB) | cells | suppressed | loader (MB/s) | loader, one process (MB/s) "
        "| plain line parser (MB/s) | loader / plain "
        "| end to end (s) | peak memory (MiB) | transformations (s) | per 100k cells | floor (s) "
        "| transformations / floor | same SQL without dbt (s) | transformations / same SQL | same SQL / floor "
        "| audit (s) | per 100k cells | ms per suppressed cell | tests (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['editions']} | {r['mb']:.2f} | {r['cells']:,} | {r['suppressed']:,} | {r['loader_mb_s']:.1f} "
            f"| {r['loader_one_process_mb_s']:.1f} | {r['baseline_mb_s']:.1f} "
            f"| {r['loader_mb_s'] / r['baseline_mb_s']:.2f} | {r['wall']:.1f} "
            f"| {r['peak_mb']:.0f} | {r['transform']:.2f} | {per_100k(r, 'transform'):.2f} | {r['floor']:.2f} "
            f"| {r['transform'] / r['floor']:.2f} | {r['same_sql']:.2f} | {r['transform'] / r['same_sql']:.2f} "
            f"| {r['same_sql'] / r['floor']:.2f} | {r['audit']:.2f} | {per_100k(r, 'audit'):.2f} "
            f"| {r['audit'] / r['suppressed'] * 1e3:.3f} | {r['tests']:.2f} |")
    if not rows:  # the municipality-scale workload alone
        lines = lines[:4]
    targets = []
    by_count = {r["editions"]: r for r in rows}
    largest = by_count[max(by_count)] if rows else None
    if 1 in by_count:
        one = by_count[1]
        targets.append(("One edition, warm, end to end",
                        f"<= dbt's fixed cost + 1.5 s = {one['dbt_fixed'] + 1.5:.1f} s",
                        f"{one['wall']:.1f} s (fixed cost {one['dbt_fixed']:.1f} s)",
                        one["wall"] <= one["dbt_fixed"] + 1.5))
    # Throughput is a property of a large input: one edition (30 kB) is mostly opening and renaming files.
    if largest is not None:
        targets.append((f"Loader / plain line parser, CSV writing included ({largest['editions']} editions)",
                        ">= 0.7", f"{largest['loader_mb_s'] / largest['baseline_mb_s']:.2f} (in one process "
                        f"{largest['loader_one_process_mb_s'] / largest['baseline_mb_s']:.2f})",
                        largest["loader_mb_s"] >= 0.7 * largest["baseline_mb_s"]))
    for count in (100, 1000):
        if count in by_count:
            ratio = by_count[count]["transform"] / by_count[count]["floor"]
            targets.append((f"{count} editions, transformations / floor", "<= 1.5", f"{ratio:.2f}", ratio <= 1.5))
    if 1000 in by_count:
        big = by_count[1000]
        targets += [("1000 editions, end to end with every test and the audit", "<= 120 s", f"{big['wall']:.0f} s",
                     big["wall"] <= 120),
                    ("1000 editions, peak memory", "<= 3072 MiB", f"{big['peak_mb']:.0f} MiB", big["peak_mb"] <= 3072)]
    # Linear: a single run's noise is about 10%, so a part is linear when its cost per cell at the most
    # editions is within 10% of (or below) its cost at 100 editions.
    if 100 in by_count and largest["editions"] > 100:
        for part, name in (("transform", "transformations"), ("audit", "audit")):
            small, large = per_100k(by_count[100], part), per_100k(largest, part)
            targets.append((f"Linear: {name}, s per 100k cells, 100 -> {largest['editions']} editions",
                            "not higher (+10% noise)", f"{small:.2f} -> {large:.2f}", large <= small * 1.1))
    if 10 in by_count and largest["editions"] > 10:
        small, large = (by_count[10]["audit"] / by_count[10]["suppressed"] * 1e3,
                        largest["audit"] / largest["suppressed"] * 1e3)
        targets.append((f"Audit ms per suppressed cell flat, 10 -> {largest['editions']} editions",
                        "not higher (+10% noise)", f"{small:.3f} -> {large:.3f}", large <= small * 1.1))
    if shipped:
        readers = shipped["readers"]
        lines += ["", "## The default input: NAV's workbooks", "",
                  f"`data/raw/` as shipped: the 2021 text and {shipped['workbooks']} national workbooks "
                  f"({shipped['workbook_mb']:.2f} MB). The loader reads and parses the workbooks (python-calamine, "
                  "best of 3); the readers read every cell of every sheet of them, nothing else (best of 3); end "
                  "to end is the warm build of all of `data/raw/`, as above.", "",
                  "| loader on the workbooks (s) | loader (MB/s) | python-calamine (s) | fastexcel (s) "
                  "| openpyxl (s) | openpyxl / calamine | end to end, all of data/raw (s) | peak memory (MiB) |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|",
                  f"| {shipped['workbook_loader_s']:.2f} | {shipped['workbook_mb'] / shipped['workbook_loader_s']:.1f} "
                  f"| {readers['python-calamine']:.2f} | {readers['fastexcel']:.2f} | {readers['openpyxl']:.2f} "
                  f"| {readers['openpyxl'] / readers['python-calamine']:.1f} | {shipped['wall']:.1f} "
                  f"| {shipped['peak_mb']:.0f} |"]
    if protected:
        audited = protected["suppressed"] + protected["added"]
        lines += ["", "## Secondary suppression (`make protect`), the 2021 document", "",
                  "The plan (nav_tiltak/protect.py, in one process, once), the audit of the published tables and "
                  "the re-audit of the protected ones (the audit's programs, best of 3), on the relations of the "
                  "built warehouse. The re-audit has more cells to audit (the added ones too) and none of the "
                  "primary ones pinned, so more of them reach the linear programs.", "",
                  "| cells added | cost (participants) | solver's bound | plan (s) | audit (s) | re-audit (s) "
                  "| re-audit / audit | ms per audited cell, audit | ms per audited cell, re-audit |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                  f"| {protected['added']:,} | {protected['cost']:,.0f} | {protected['bound']:,.0f} "
                  f"| {protected['plan_s']:.1f} | {protected['audit_s']:.3f} | {protected['reaudit_s']:.3f} "
                  f"| {protected['reaudit_s'] / protected['audit_s']:.2f} "
                  f"| {protected['audit_s'] / protected['suppressed'] * 1e3:.3f} "
                  f"| {protected['reaudit_s'] / audited * 1e3:.3f} |"]
        targets.append(("Protection plan for the 2021 document", "<= 30 s", f"{protected['plan_s']:.1f} s",
                        protected["plan_s"] <= 30))
        if 1 in by_count:
            # The audit's present cost in a build: its dbt models for the same document (the table above).
            audit_build = by_count[1]["audit"]
            targets.append(("Re-audit of the protected 2021 document, within the audit's cost in a build (its "
                            "models, one edition)", f"<= {audit_build:.2f} s", f"{protected['reaudit_s']:.3f} s",
                            protected["reaudit_s"] <= audit_build))
    if area_rows:
        area_lines, area_targets = render_areas(area_rows, area_protected)
        lines += area_lines
        targets += area_targets
    lines += ["", "## Targets", "", "| target | wanted | measured | met |", "|---|---|---|---|"]
    lines += [f"| {name} | {wanted} | {measured} | {'yes' if met else '**no**'} |"
              for name, wanted, measured, met in targets]
    unmet = [why for name, _, _, met in targets if not met for why in [_why_not_met(name, by_count)] if why]
    if unmet:
        lines += ["", "### Why a target is not met, from this run's numbers", "", *unmet]
    return "\n".join(lines) + "\n"


def _why_not_met(target: str, by_count: dict[int, dict]) -> str | None:
    """What this run measured about an unmet target's cause, and what would meet it."""
    if target.startswith("One edition"):
        one = by_count[1]
        other = one["wall"] - one["dbt_fixed"] - one["transform"] - one["audit"] - one["tests"]
        return (f"- *One edition*: of {one['wall']:.1f} s, dbt's fixed cost is {one['dbt_fixed']:.1f} s, its nodes "
                f"{one['transform'] + one['audit'] + one['tests']:.1f} s (transformations {one['transform']:.2f} s, "
                f"whose SQL alone takes {one['same_sql']:.2f} s; the audit {one['audit']:.2f} s; the data tests "
                f"{one['tests']:.2f} s) and loading, exporting and publishing {other:.1f} s. The SQL is a small part "
                "of the node time; the rest is dbt's own work for each of its about 150 nodes "
                "(`docs/performance.md`). What would meet it: far fewer nodes (the data rules of a model in one "
                "test that still names each failing cell), or the everyday build's SQL run without dbt.")
    if "transformations / floor" in target:
        count = int(target.split()[0])
        row = by_count[count]
        return (f"- *{count} editions, transformations / floor*: dbt adds a factor of "
                f"{row['transform'] / row['same_sql']:.2f} (transformations / the same SQL without dbt); the models' "
                f"SQL itself is {row['same_sql'] / row['floor']:.2f} times the floor. The models materialise "
                "more than the floor's script: staging, the coded rows, every cell with its text (assembled, "
                "then resolved and stored in key order for the exports, which the floor leaves unsorted) and "
                "three grids. What would meet it (not tried in this round): fewer materialised intermediates "
                "(views where one model reads them once), the printed cells sorted only for their export.")
    if target.startswith("1000 editions, end to end"):
        big = by_count[1000]
        return (f"- *1000 editions, end to end*: transformations {big['transform']:.0f} s, the audit "
                f"{big['audit']:.0f} s, the data tests {big['tests']:.0f} s of {big['wall']:.0f} s.")
    return None


def render_areas(rows: list[dict], protected: dict | None) -> tuple[list[str], list[tuple]]:
    """The municipality-scale section of the report, and its targets."""
    per_cell = lambda r: r["audit"] / r["suppressed"] * 1e3  # noqa: E731 - ms per suppressed cell
    lines = ["", "## Municipality scale: NAV's county and municipality sheets (synthetic)", "",
             "Full synthetic NAV workbooks for each year (`nav_tiltak/synthetic.py`, `area_years`): TILT100 and "
             "TILT110-TILT180 with the national sheet, the county sheet (`Tiltak og fylke`) and the municipality "
             "sheets (`Tiltak og kommune`, `Tiltaksdeltakere og kommune`) of every measure type with participants, "
             "358 municipalities of the 2024 structure, every relation the warehouse checks exact, every value "
             "below 4 printed `*`, rows without participants left out; a year each from the first year NAV's "
             "files have every sheet. Generation is a process per core. End to end, peak memory and dbt's node "
             "times are as above (best of 2 warm builds after a cold one); the audit is `int_relations` and "
             "`models/audit/`; per suppressed cell divides it by the printed `*`. The floor (`bench/floor.sql`, "
             "the county and municipality marts included) is best of 2.", "",
             "| years | workbooks | MB | cells | suppressed | generation (s) | end to end (s) | peak memory (MiB) "
             "| transformations (s) | floor (s) | transformations / floor | audit (s) | ms per suppressed cell "
             "| tests (s) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['years']} | {r['workbooks']} | {r['mb']:.1f} | {r['cells']:,} | {r['suppressed']:,} "
                     f"| {r['generated_s']:.1f} | {r['wall']:.1f} | {r['peak_mb']:.0f} | {r['transform']:.2f} "
                     f"| {r['floor']:.2f} | {r['transform'] / r['floor']:.2f} | {r['audit']:.2f} "
                     f"| {per_cell(r):.3f} | {r['tests']:.2f} |")
    # Where the time goes: the audit's nodes, and the slowest others, per number of years.
    names = [name for name, (part, _) in rows[-1]["nodes"].items() if part == "audit"]
    others = [name for name, (part, _) in rows[-1]["nodes"].items() if part != "audit"][:8]
    lines += ["", "dbt's node times (s), the audit's nodes and the eight slowest others:", "",
              "| node | part | " + " | ".join(f"{r['years']} year(s)" for r in rows) + " |",
              "|---|---|" + "---:|" * len(rows)]
    for name in names + others:
        part = rows[-1]["nodes"][name][0]
        lines.append(f"| {name} | {part} | " + " | ".join(
            f"{r['nodes'][name][1]:.2f}" if name in r["nodes"] else "" for r in rows) + " |")
    targets = []
    by_years = {r["years"]: r for r in rows}
    if 10 in by_years:
        ten = by_years[10]
        targets += [("Ten years of county and municipality sheets, end to end with every test and the audit",
                     "<= 120 s", f"{ten['wall']:.0f} s", ten["wall"] <= 120),
                    ("Ten years of county and municipality sheets, peak memory", "<= 3072 MiB",
                     f"{ten['peak_mb']:.0f} MiB", ten["peak_mb"] <= 3072)]
    if 1 in by_years and len(rows) > 1:
        largest = rows[-1]
        small, large = per_cell(by_years[1]), per_cell(largest)
        targets.append((f"Audit ms per suppressed cell flat, 1 -> {largest['years']} years of municipality sheets",
                        "not higher (+10% noise)", f"{small:.3f} -> {large:.3f}", large <= small * 1.1))
    if protected:
        lines += ["", "## `make protect` of one year of county and municipality sheets", ""]
        if protected["finished"]:
            gap = protected["objective"] - protected["bound"]
            lines += ["`nav-tiltak protect` on the one-year folder (a build with the protection models, then the "
                      "protected tables written): wall time, peak memory, and the plan "
                      "(protection.suppression_plan): its cost against the solver's bound, summed over the "
                      "components (the gap; a component the master's time limit stopped has a bound below its "
                      "cost).", "",
                      "| wall (s) | peak memory (MiB) | primaries protected | components | cells added "
                      "| cost (participants) | solver's bound | gap | components stopped at the time limit "
                      "| slowest component (s) |",
                      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                      f"| {protected['wall']:.0f} | {protected['peak_mb']:.0f} | {protected['primaries']:,} "
                      f"| {protected['components']:,} | {protected['added']:,} | {protected['objective']:,.0f} "
                      f"| {protected['bound']:,.0f} | {gap:,.0f} ({gap / max(protected['objective'], 1):.1%}) "
                      f"| {protected['stopped_components']:,} | {protected['slowest_component_s']:.0f} |", "",
                      "Its slowest dbt nodes (s): " + ", ".join(
                          f"{name} {seconds:.1f}" for name, (_, seconds) in list(protected["nodes"].items())[:6])
                      + "."]
            measured = f"{protected['wall']:.0f} s (gap {gap / max(protected['objective'], 1):.1%})"
        else:
            lines += [f"Stopped after {protected['wall']:.0f} s (`--protect-timeout`), in the dbt node "
                      f"{protected['stopped_in']}: no plan, so no gap to report."]
            measured = f"not finished in {protected['wall']:.0f} s (in {protected['stopped_in']})"
        targets.append(("`make protect` of one year of county and municipality sheets", "<= 300 s", measured,
                        protected["finished"] and protected["wall"] <= 300))
    return lines, targets


def _edition_counts(text: str) -> list[int]:
    """``--editions 1 10`` or ``--editions "1 10"`` (as `make bench EDITIONS="1 10"` passes it); empty: none."""
    try:
        counts = [int(word) for word in text.split()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if counts and min(counts) < 1:
        raise argparse.ArgumentTypeError(f"numbers of editions and years are whole numbers from 1: {text!r}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure", description=__doc__.splitlines()[0])
    parser.add_argument("--editions", type=_edition_counts, nargs="+", default=None, metavar="N",
                        help="numbers of editions to measure (default 1 10 100 unless --areas is given; e.g. 1 10 "
                             "100 1000)")
    parser.add_argument("--areas", type=_edition_counts, nargs="+", default=[], metavar="YEARS",
                        help="numbers of years of synthetic county and municipality sheets to measure (e.g. 1 10); "
                             "one year is also protected (make protect)")
    parser.add_argument("--protect-timeout", type=float, default=PROTECT_TIMEOUT, metavar="SECONDS",
                        help=f"stop make protect of one year after this long (default {PROTECT_TIMEOUT:.0f})")
    parser.add_argument("--output", type=Path, default=DEFAULT_REPORT)
    args = parser.parse_args(argv)
    area_counts = sorted({n for counts in args.areas for n in counts})
    editions = [[1, 10, 100]] if args.editions is None and not area_counts else args.editions or []
    edition_counts = sorted({n for counts in editions for n in counts})
    if not edition_counts and not area_counts:
        parser.error("nothing to measure: give --editions or --areas")
    return run(edition_counts, args.output, area_counts, args.protect_timeout)


if __name__ == "__main__":
    sys.exit(main())
