"""Pages a person reads, rendered in headless Chromium (Debian's `chromium`; .ci/run installs it): the
overview page (`make report`), driven as a reader uses it over the Chrome DevTools Protocol, and dbt's
documentation site (`make docs`). Also the exports."""

import base64
import csv
import io
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
import websocket

from conftest import PROJECT_DIR, run_cli

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                                             "(apt-get install chromium; .ci/run does)")
# The overview's screenshots, kept after the run as the test's artefacts (target/ is the project's scratch).
SHOTS = PROJECT_DIR / "target" / "test-artifacts" / "overview"


def rendered_body(url: str, profile: Path) -> str:
    """The page's DOM after its scripts ran, without the script elements themselves."""
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120, check=True).stdout
    return re.sub(r"<script.*?</script>", "", dom[dom.find("<body"):], flags=re.S)


# How the overview test starts Chromium (the same flags as rendered_body), with its DevTools port.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class DevTools:
    """Headless Chromium driven over the Chrome DevTools Protocol: the browser's websocket, one tab attached
    (flat session), its events kept for the test to read (exceptions, requests, downloads)."""

    def __init__(self, folder: Path) -> None:
        profile, self.downloads = folder / "profile", folder / "downloads"
        profile.mkdir()
        self.downloads.mkdir()
        self.process = subprocess.Popen([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                         "--remote-debugging-port=0", "about:blank"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        active, deadline = profile / "DevToolsActivePort", time.monotonic() + 30
        while not (active.exists() and len(active.read_text().split()) == 2):  # the port, then the browser's path
            assert self.process.poll() is None and time.monotonic() < deadline, "chromium did not start"
            time.sleep(0.05)
        port, path = active.read_text().split()
        self.socket = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=30, suppress_origin=True)
        self.calls, self.events = 0, []
        tab = next(t for t in self.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", {"targetId": tab["targetId"], "flatten": True})["sessionId"]
        self.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(self.downloads),
                                                  "eventsEnabled": True})
        for domain in ["Page", "Runtime", "Network"]:
            self.send(f"{domain}.enable", tab=True)
        self.send("Emulation.setDeviceMetricsOverride", {"width": 1200, "height": 900, "deviceScaleFactor": 1,
                                                         "mobile": False}, tab=True)

    def send(self, method: str, params: dict | None = None, tab: bool = False) -> dict:
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params or {},
                                     **({"sessionId": self.session} if tab else {})}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") != self.calls:
                self.events.append(message)
            elif "error" in message:
                raise AssertionError(f"{method}: {message['error']}")
            else:
                return message["result"]

    def wait_for(self, method: str, matches=lambda params: True, timeout: float = 15) -> dict:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if event.get("method") == method and matches(event["params"]):
                    return event["params"]
            seen = len(self.events)
            assert time.monotonic() < deadline, f"no {method} within {timeout} s"
            self.socket.settimeout(max(0.05, deadline - time.monotonic()))
            self.events.append(json.loads(self.socket.recv()))

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, tab=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click (pressed and released) in the middle of the element."""
        x, y = self.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                             ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ["mousePressed", "mouseReleased"]:
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
                      tab=True)

    def screenshot(self, path: Path) -> Path:
        height = self.evaluate("document.documentElement.scrollHeight")
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                    "clip": {"x": 0, "y": 0, "width": 1200, "height": height,
                                                             "scale": 1}}, tab=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        print(f"screenshot: {path}")
        return path

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=10)


class OverviewPage(DevTools):
    """The overview page as a reader uses it: the pickers, what the charts draw, the tables' text."""

    def pick(self, **choices: str) -> None:
        """Choose in the pickers (geography, main_group, measure, month), in that order, as a reader does: the
        select's value, then its change event; returns when the charts are drawn again."""
        for name in ["geography", "main_group", "measure", "month"]:
            if name in choices:
                self.evaluate(f"""(async () => {{
                    const select = document.getElementById({json.dumps("pick-" + name.replace("_", "-"))});
                    select.value = {json.dumps(choices[name])};
                    if (select.value !== {json.dumps(choices[name])}) throw new Error("no such choice");
                    select.dispatchEvent(new Event("change", {{bubbles: true}}));
                    await window.overviewPage.rendered;
                }})()""")

    def drawn(self, chart: str) -> dict:
        """What a chart draws: its traces (x, y, base) and its marked periods (shapes and annotations)."""
        return self.evaluate(f"""(() => {{
            const chart = document.getElementById({json.dumps(chart)});
            const list = v => v === undefined ? null : Array.from(v);
            return {{traces: chart.data.map(t => ({{name: t.name, type: t.type, x: list(t.x), y: list(t.y),
                                                   base: list(t.base)}})),
                     shapes: chart.layout.shapes.map(s => ({{name: s.name, x0: s.x0, x1: s.x1}})),
                     annotations: chart.layout.annotations.map(a => ({{name: a.name, text: a.text}}))}};
        }})()""")

    def text(self, selector: str) -> list[str]:
        return self.evaluate(f"Array.from(document.querySelectorAll({json.dumps(selector)}), "
                             "e => e.textContent.replace(/\\u00a0/g, ' ').replace(/\\u2212/g, '-').trim())")


@pytest.fixture(scope="module")
def overview(built_project: Path, tmp_path_factory: pytest.TempPathFactory):
    """The overview page of the built warehouse (`nav-tiltak report`), open in headless Chromium."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    folder = tmp_path_factory.mktemp("overview")
    page = folder / "overview.html"
    result = run_cli(built_project, "report", "--output", str(page))
    assert result.returncode == 0, result.stdout + result.stderr
    browser = OverviewPage(folder)
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.page, browser.shots = page, SHOTS
    browser.send("Page.navigate", {"url": page.as_uri()}, tab=True)
    browser.wait_for("Page.loadEventFired")
    browser.evaluate("window.overviewPage.rendered.then(() => true)")
    yield browser
    try:  # whatever the tests did: nothing fetched but the page itself, no script error
        requested = {e["params"]["request"]["url"].split(":")[0] for e in browser.events
                     if e.get("method") == "Network.requestWillBeSent"}
        assert requested <= {"file", "data"}, requested
        assert not [e for e in browser.events if e.get("method") == "Runtime.exceptionThrown"]
    finally:
        browser.close()


def month(value) -> str:
    return f"{value:%Y-%m-01}"


def assert_drawn_as_in_warehouse(drawn: dict, rows: list[tuple]) -> None:
    """The series chart draws (month, count, low, high) rows exactly: a count as a point on the line, an
    unknown count as a bar from low to high and nothing else (no point, no zero, no midpoint)."""
    exact, ranges = drawn["traces"]
    points = {x: y for x, y in zip(exact["x"], exact["y"], strict=True) if y is not None}
    bars = {x: (base, base + height) for x, base, height in zip(ranges["x"], ranges["base"], ranges["y"],
                                                               strict=True)}
    assert points == {month(m): count for m, count, _, _ in rows if count is not None}
    assert bars == {month(m): (low, high) for m, count, low, high in rows if count is None}
    assert not set(points) & set(bars)


@needs_chromium
def test_overview_page_is_self_contained_and_draws_the_months_with_their_gaps(overview: OverviewPage,
                                                                               warehouse) -> None:
    # Self-contained: no element loads anything (inside the scripts, plotly.js names URLs of features the page
    # leaves unused; the fixture checks that the browser requested nothing but the page).
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", overview.page.read_text(encoding="utf-8"), flags=re.S)
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", markup) and "<script src" not in markup
    assert overview.page.stat().st_size < 6_000_000  # plotly.js (4.8 MB) and the data
    overview.pick(geography="00", main_group="alle", measure="g:alle")
    drawn = overview.drawn("series-chart")
    rows = warehouse.execute("""
        select month_date, participant_count, participant_count_low, participant_count_high
        from marts.main_group_by_measure_group where county_code = '00' and main_group = 'alle'
            and measure_group = 'alle'""").fetchall()
    assert_drawn_as_in_warehouse(drawn, rows)
    assert len(drawn["traces"][1]["x"]) == 36  # Norway's total includes suppressed cells: ranges
    # 2022 and the months after April 2026 have no document: no point, a gap in the line, shaded.
    exact = drawn["traces"][0]
    assert [y for x, y in zip(exact["x"], exact["y"], strict=True) if x.startswith("2022")] == [None] * 12
    assert [(s["x0"], s["x1"]) for s in drawn["shapes"] if s["name"] == "no-document"] == [
        ("2021-12-16", "2022-12-16"), ("2026-04-16", "2026-12-16")]
    assert "No document covers Jan 2022–Dec 2022: no figures, left empty." in overview.text("#marks li")
    # The counties side by side in December 2021: Møre og Romsdal's total includes a "*".
    overview.pick(month="2021-12")
    counties = {row[0]: row[1:] for row in (line.split("\t") for line in overview.evaluate(
        "Array.from(document.querySelectorAll('#county-table tbody tr'), r => Array.from(r.cells, "
        "c => c.textContent.replace(/\\u00a0/g, ' ')).join('\\t'))"))}
    assert counties["Møre og Romsdal"][0] == "3 698–3 701" and counties["Oslo"][0] == "10 035"
    assert "Viken (until 2023)" in counties and "Norge" in counties
    overview.screenshot(overview.shots / "overview-norway.png")


@needs_chromium
def test_overview_picking_oslo_and_a_measure_type_changes_what_is_drawn(overview: OverviewPage,
                                                                        warehouse) -> None:
    overview.pick(geography="00", main_group="alle", measure="g:alle")
    before = overview.drawn("series-chart")
    overview.pick(geography="03", measure="t:midlertidig_lonnstilskudd")
    after = overview.drawn("series-chart")
    assert after["traces"] != before["traces"]
    assert_drawn_as_in_warehouse(after, warehouse.execute("""
        select month_date, participant_count, participant_count_low, participant_count_high
        from marts.county_by_measure_type where county_code = '03' and measure_type = 'midlertidig_lonnstilskudd'
    """).fetchall())
    summary = overview.text("#summary")[0]
    assert summary.startswith("Oslo · Alle hovedgrupper · Midlertidig lønnstilskudd: 28 months with figures")
    # The counties' table follows the measure; Oslo, the geography picked, is highlighted.
    assert overview.text("#county-table tr.current td:first-child") == ["Oslo"]
    overview.screenshot(overview.shots / "overview-oslo-midlertidig-lonnstilskudd.png")


@needs_chromium
def test_overview_draws_a_suppressed_value_as_its_range(overview: OverviewPage, warehouse) -> None:
    overview.pick(geography="1144", main_group="alle", measure="t:midlertidig_lonnstilskudd")
    drawn = overview.drawn("series-chart")
    rows = warehouse.execute("""
        select month_date, participant_count, participant_count_low, participant_count_high
        from marts.municipality_by_measure_type where municipality_code = '1144'
            and measure_type = 'midlertidig_lonnstilskudd'""").fetchall()
    assert len(rows) == 16 and all(count is None for _, count, _, _ in rows)  # Kvitsøy: "*" every month
    assert_drawn_as_in_warehouse(drawn, rows)
    exact, ranges = drawn["traces"]
    assert set(exact["y"]) == {None}  # no point anywhere: not 0, not 1.5
    assert set(ranges["base"]) == {0} and set(ranges["y"]) == {3}
    changes = overview.drawn("change-chart")["traces"]
    assert set(changes[0]["y"]) == {None}
    assert {(b, b + h) for b, h in zip(changes[1]["base"], changes[1]["y"], strict=True)} == {(-3, 3)}
    assert "0–3" in overview.text("#change-table td")
    overview.screenshot(overview.shots / "overview-kvitsoy-suppressed.png")
    # A national measure type with "*": egenetablering for others than job seekers and the disabled.
    overview.pick(geography="00", main_group="andre", measure="t:egenetablering")
    assert_drawn_as_in_warehouse(overview.drawn("series-chart"), warehouse.execute("""
        select month_date, participant_count, participant_count_low, participant_count_high
        from marts.main_group_by_measure_type where main_group = 'andre' and measure_type = 'egenetablering'
    """).fetchall())


@needs_chromium
def test_overview_marks_the_series_break_with_its_reason(overview: OverviewPage, warehouse) -> None:
    note = warehouse.execute("select note from reference.ref_series_breaks "
                             "where main_group_code = 'arbeidssokere'").fetchone()[0]
    overview.pick(geography="00", main_group="arbeidssokere", measure="g:alle")
    drawn = overview.drawn("series-chart")
    assert [(s["x0"], s["x1"]) for s in drawn["shapes"] if s["name"] == "series-break"] == [
        ("2025-03-16", "2025-07-16")]  # April to July 2025
    [label] = [a["text"] for a in drawn["annotations"] if a["name"] == "series-break"]
    assert note in label.replace("<br>", " ")
    assert overview.text("#marks li.series-break") == [f"Series break Apr 2025–Jul 2025: {note}"]
    # A change over 12 months that compares months across the break says so; one before it does not.
    changes = {row[0]: row for row in (line.split("\t") for line in overview.evaluate(
        "Array.from(document.querySelectorAll('#change-table tbody tr'), r => Array.from(r.cells, "
        "c => c.textContent).join('\\t'))"))}
    assert changes["Mar 2026"][-1] == "across the series break" and changes["Mar 2025"][-1] == ""
    overview.evaluate("document.getElementById('change-details').open = true")
    overview.screenshot(overview.shots / "overview-job-seekers-series-break.png")
    overview.evaluate("document.getElementById('change-details').open = false")
    # All main groups include the job seekers: a municipality's total is marked too.
    overview.pick(geography="1144", main_group="alle", measure="g:alle")
    assert any(s["name"] == "series-break" for s in overview.drawn("series-chart")["shapes"])


@needs_chromium
def test_overview_downloads_the_selection_as_csv(overview: OverviewPage, warehouse) -> None:
    overview.pick(geography="1144", main_group="alle", measure="g:alle")
    overview.click("#download")
    done = overview.wait_for("Browser.downloadProgress", lambda p: p["state"] in ("completed", "canceled"))
    assert done["state"] == "completed"
    name = overview.wait_for("Browser.downloadWillBegin")["suggestedFilename"]
    assert name == "nav-tiltak_1144_alle_alle.csv"
    text = (overview.downloads / name).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")  # a byte-order mark: Excel then reads the names' ø and å as UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["month", "geography_code", "geography_name", "main_group", "measure_group", "measure_type",
                       "participant_count", "participant_count_low", "participant_count_high", "is_suppressed",
                       "is_published", "is_series_break"]

    def text(value) -> str:
        return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)

    expected = [[text(v) for v in row] for row in warehouse.execute("""
        select strftime(month_date, '%Y-%m'), municipality_code, municipality_name, main_group, measure_group,
            measure_type, participant_count, participant_count_low, participant_count_high, is_suppressed,
            is_published, is_series_break
        from marts.municipality_by_measure_type where municipality_code = '1144' and measure_type = 'alle'
        order by month_date""").fetchall()]
    assert rows[1:] == expected
    suppressed = [row for row in rows[1:] if row[9] == "true"]
    assert suppressed and all(row[6] == "" and (row[7], row[8]) == ("0", "3") for row in suppressed)


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
