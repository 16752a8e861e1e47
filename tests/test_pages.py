"""Pages a person reads, rendered in headless Chromium (Debian's `chromium`; .ci/run installs it): the
overview page (`make report`) and dbt's documentation site (`make docs`). Also the exports."""

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import run_cli

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                                             "(apt-get install chromium; .ci/run does)")


def rendered_body(url: str, profile: Path) -> str:
    """The page's DOM after its scripts ran, without the script elements themselves."""
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120, check=True).stdout
    return re.sub(r"<script.*?</script>", "", dom[dom.find("<body"):], flags=re.S)


@needs_chromium
def test_overview_page_shows_the_charts(built_project: Path, tmp_path: Path) -> None:
    page = tmp_path / "overview.html"
    assert run_cli(built_project, "report", "--output", str(page)).returncode == 0
    source = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?https?:""", source)  # self-contained: nothing fetched
    body = rendered_body(page.as_uri(), tmp_path / "profile")
    for figure in ["measure-groups-over-months", "main-group-by-measure-group", "counties-side-by-side"]:
        match = re.search(rf'<figure id="{figure}">(.*?)</figure>', body, flags=re.S)
        assert match, figure
        assert "<svg" in match.group(1) or "<table" in match.group(1)
    assert "Oppfølging" in body and "Viken" in body
    # Suppression shown as ranges, not zeros: Møre og Romsdal in December 2021 is 3 698–3 701.
    assert "3 698–3 701" in body


@needs_chromium
def test_docs_site_shows_the_marts_and_the_lineage(built_project: Path, tmp_path: Path) -> None:
    site = tmp_path / "docs.html"
    result = run_cli(built_project, "docs", "--output", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    model = f"{site.as_uri()}#!/model/model.nav_tiltak.main_group_by_measure_group"
    body = rendered_body(model, tmp_path / "profile")
    assert re.search(r"<h1>\s*<span[^>]*>main_group_by_measure_group</span>\s*<small[^>]*>table", body)
    for mart in ["dim_county", "dim_month", "fct_printed_cells"]:
        assert mart in body
    assert "Depends On" in body and "int_cells__gridded" in body
    assert "BI tools on warehouse/nav_tiltak.duckdb" in body  # the exposure, downstream
    graph = rendered_body(model + "?g_v=1", tmp_path / "profile-graph")
    assert "Lineage Graph" in graph and "<canvas" in graph
    # The site opens on the project's overview (models/docs.md, __overview__), not dbt's own.
    overview = rendered_body(f"{site.as_uri()}#!/overview", tmp_path / "profile-overview")
    assert "Suppression: NULL with bounds 0..3" in overview and "Where to start" in overview


def test_every_mart_is_exported_as_parquet_and_csv(built_project: Path, warehouse) -> None:
    exports = built_project / "warehouse" / "nav_tiltak_exports"
    marts = [row[0] for row in warehouse.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()]
    assert sorted(p.name for p in exports.iterdir()) == sorted(f"{m}.{e}" for m in marts for e in ["csv", "parquet"])
    with duckdb.connect() as connection:
        connection.execute(f"attach '{built_project / 'warehouse' / 'nav_tiltak.duckdb'}' as w (read_only)")
        for mart in marts:
            table = f"w.marts.{mart}"
            parquet = f"read_parquet('{exports / mart}.parquet')"
            csv = f"read_csv('{exports / mart}.csv', all_varchar = true)"
            count = connection.execute(f"select count(*) from {table}").fetchone()[0]
            for left, right in [(table, parquet), (parquet, table)]:
                difference = f"select count(*) from (from {left} except all from {right})"
                assert connection.execute(difference).fetchone() == (0,)
            as_text = f"(select columns(*)::varchar from {table})"
            for left, right in [(as_text, csv), (csv, as_text)]:
                difference = f"select count(*) from (from {left} except all from {right})"
                assert connection.execute(difference).fetchone() == (0,), mart
            assert connection.execute(f"select count(*) from {csv}").fetchone() == (count,)
