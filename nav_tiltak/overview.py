"""The overview page of the warehouse (``nav-tiltak report``: reports/overview.html): one self-contained,
interactive HTML file for analysts.

What the page offers: pickers for the geography (Norway, a county, a municipality), the main group and the
measure (a measure group or a measure type), offering only the combinations the warehouse holds; the monthly
series of the selection; its change over 12 months; the counties side by side for a chosen month; and the
selection as CSV. The reader's rules, which the page's script (``overview.js`` beside this module) keeps:

- A suppressed or unknown value (``participant_count`` NULL) is drawn as its range low..high, a floating bar,
  never as a point, a line through it, a zero or a midpoint; the CSV carries it as low/high columns and
  ``is_suppressed``, with an empty count. No value derived for a suppressed cell is shown anywhere.
- Months that no document covers (not in ``dim_month``: all of 2022, say, and the months after the latest
  one) and months a series has no row for are gaps: the line stops there and never joins across.
- Series breaks (``is_series_break``) are shaded on the chart with their reason, from
  ``reference.ref_series_breaks.note`` (or NAV's reason in brief where that table is absent).
- A change over 12 months is exact only where both months are known exactly, a range where either is a
  range, and marked where the months it compares lie on both sides of a series break.

The charts are drawn with Plotly (plotly.js), taken from the pinned ``plotly`` Python package
(``plotly/package_data/plotly.min.js``) and inlined: the JavaScript's version moves with requirements.txt
like every other dependency, nothing is vendored in this repository, and the page opens from disk with no
network. Plotly draws what the page needs natively (lines with gaps, floating bars from a base, shaded
periods with labels, hover) and is widely used and maintained. Its price is size: plotly.min.js is about
4.8 MB of the page; the data are a few hundred KB (columnar per series: one value or [low, high] a month,
and a flag string), so the page stays in the region of 5 MB whatever the number of municipalities.
"""

from __future__ import annotations

import datetime
import json
from importlib import resources

# NAV's reason for the job-seeker break in brief, for a warehouse without reference.ref_series_breaks.
FALLBACK_BREAK_NOTE = "NAV: a new job-seeker register changed who is counted"

# The marts a series can come from: (mart, geography code, the measure key: "g:<group>" for a measure group,
# "t:<type>" for a measure type; a measure type 'alle' is its whole group).
_MEASURE_KEY = ("case when measure_type = 'alle' then 'g:' || measure_group else 't:' || measure_type end")
_SOURCES = [
    ("main_group_by_measure_group", "county_code", "'g:' || measure_group"),
    ("main_group_by_measure_type", "'00'", "'t:' || measure_type"),
    ("county_by_measure_type", "county_code", _MEASURE_KEY),
    ("municipality_by_measure_type", "municipality_code", _MEASURE_KEY),
]


def _month_index(first: datetime.date, month: datetime.date) -> int:
    return (month.year - first.year) * 12 + month.month - first.month


def _tables(connection) -> set[str]:
    return {f"{schema}.{name}" for schema, name in connection.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}


def page_data(connection) -> dict:
    """Everything the page's script draws from, as compact JSON-ready values."""
    tables = _tables(connection)
    months = [row[0] for row in connection.execute("select month_date from marts.dim_month order by 1").fetchall()]
    first = months[0]
    # The axis runs to the end of the latest year, so the months after the latest document show as a gap.
    length = _month_index(first, datetime.date(months[-1].year, 12, 1)) + 1

    # (geography, main group, measure) -> month index -> (count, low, high, is_published, is_series_break)
    series: dict[tuple[str, str, str], dict[int, tuple]] = {}
    for mart, geography, measure in _SOURCES:
        if f"marts.{mart}" not in tables:
            continue
        rows = connection.execute(f"""
            select {geography}, main_group, {measure}, month_date, participant_count, participant_count_low,
                participant_count_high, is_published, is_series_break
            from marts.{mart}
        """).fetchall()
        for code, main_group, key, month, count, low, high, published, series_break in rows:
            cells = series.setdefault((code, main_group, key), {})
            index = _month_index(first, month)
            cell = (count, low, high, bool(published), bool(series_break))
            if index in cells:  # the same figure from two marts (Norway, all measures): the narrower bounds
                old = cells[index]
                better = cell if (cell[2] - cell[1]) < (old[2] - old[1]) else old
                cell = (*better[:3], old[3] or cell[3], old[4] or cell[4])
            cells[index] = cell

    encoded = []
    for (code, main_group, key), cells in sorted(series.items()):
        start, end = min(cells), max(cells)
        values, flags = [], []
        for index in range(start, end + 1):
            cell = cells.get(index)
            if cell is None:
                values.append(None)
                flags.append("-")
                continue
            count, low, high, published, series_break = cell
            values.append(count if count is not None else [low, high])
            flags.append(str(int(published) + 2 * int(series_break)))
        encoded.append([code, main_group, key, start, values, "".join(flags)])

    present = {key[0] for key in series}
    counties = connection.execute("""
        select county_code, county_name_nb, geography_level, year(valid_from), year(valid_to), sort_order
        from marts.dim_county order by sort_order, county_code
    """).fetchall()
    # [code, name, level, county (of a municipality), validity note]
    geographies = [["00", "Norge", "national", "", ""]]
    for code, name, level, since, until, _ in counties:
        if code == "00" or code not in present:
            continue
        note = f"until {until}" if until else f"from {since}" if since and since > first.year else ""
        geographies.append([code, name, level, "", note])
    municipalities = []
    if "marts.municipality_by_measure_type" in tables:
        municipalities = connection.execute("""
            select distinct municipality_code, municipality_name, county_code
            from marts.municipality_by_measure_type order by municipality_code
        """).fetchall()
    geographies += [[code, name, "municipality", county, ""] for code, name, county in municipalities
                    if code in present]
    county_names = {code: name for code, name, *_ in counties}

    main_groups = connection.execute(
        "select main_group, main_group_name_nb from marts.dim_main_group "
        "order by main_group = 'alle' desc, sort_order").fetchall()
    measure_groups = connection.execute(
        "select measure_group, measure_group_name_nb from marts.dim_measure_group "
        "order by measure_group = 'alle' desc, sort_order").fetchall()
    measure_types = []
    if "marts.dim_measure_type" in tables:
        measure_types = connection.execute(
            "select measure_type, measure_type_name_nb, measure_group from marts.dim_measure_type "
            "order by sort_order").fetchall()

    breaks = []
    if "reference.ref_series_breaks" in tables:
        breaks = [[_month_index(first, since), _month_index(first, until.replace(day=1)), main_group, note]
                  for main_group, since, until, note in connection.execute(
                      "select main_group_code, valid_from, valid_to, note from reference.ref_series_breaks "
                      "order by valid_from").fetchall()]

    return {
        "first": f"{first:%Y-%m}",
        "length": length,
        "covered": [_month_index(first, month) for month in months],
        "geographies": geographies,
        "countyNames": county_names,
        "mainGroups": [list(row) for row in main_groups],
        "measureGroups": [list(row) for row in measure_groups],
        "measureTypes": [list(row) for row in measure_types],
        "breaks": breaks,
        "fallbackBreakNote": FALLBACK_BREAK_NOTE,
        "series": encoded,
    }


def _script_json(value) -> str:
    """JSON to sit inside a <script> element: no "<" that could close it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _asset(package: str, name: str) -> str:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    if "</script" in text.lower():  # cannot be inlined as it is
        raise ValueError(f"{package}/{name} contains </script")
    return text


def render(connection) -> str:
    """The page's HTML."""
    data = page_data(connection)
    months = data["covered"]
    first = datetime.date.fromisoformat(data["first"] + "-01")

    def label(index: int) -> str:
        year, month = divmod(first.month - 1 + index, 12)
        return f"{month + 1:02d}.{first.year + year}"

    span = f"{label(months[0])}–{label(months[-1])}"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Deltakere i arbeidsrettede tiltak — oversikt</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }}
h1 {{ font-size: 1.5rem; margin-bottom: 0.2rem; }} h2 {{ font-size: 1.15rem; margin: 1.8rem 0 0.4rem; }}
.lead, .note {{ color: #555; font-size: 0.9rem; }} .note {{ margin: 0.3rem 0; }}
#pickers {{ display: flex; flex-wrap: wrap; gap: 0.8rem 1.2rem; align-items: end; position: sticky; top: 0;
  background: #fff; padding: 0.6rem 0; border-bottom: 1px solid #ddd; z-index: 10; }}
#pickers label {{ display: flex; flex-direction: column; font-size: 0.8rem; color: #555; gap: 0.2rem; }}
#pickers select {{ font-size: 0.95rem; padding: 0.2rem; max-width: 24rem; }}
#download {{ font-size: 0.95rem; padding: 0.3rem 0.7rem; border: 1px solid #4c72b0; border-radius: 4px;
  color: #4c72b0; text-decoration: none; }}
#download:hover {{ background: #eef2fa; }}
#summary {{ font-size: 1rem; margin: 0.8rem 0 0; }}
.chart {{ width: 100%; height: 430px; }} #change-chart {{ height: 320px; }}
#marks li {{ font-size: 0.9rem; }}
table {{ border-collapse: collapse; font-size: 0.88rem; }}
th, td {{ border-bottom: 1px solid #e4e4e4; padding: 0.25rem 0.6rem; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
thead th {{ border-bottom: 2px solid #bbb; }}
td.range {{ font-style: italic; color: #8a5a00; }} td.derived {{ color: #666; }}
td.warn {{ color: #b35900; text-align: left; }} td.across {{ color: #d55e00; }}
#county-table tbody tr {{ cursor: pointer; }} #county-table tbody tr:hover {{ background: #f3f6fb; }}
#county-table tr.current {{ background: #e6edf8; font-weight: 600; }}
#county-table tr.total td {{ border-top: 2px solid #bbb; }}
td.bar {{ width: 320px; padding: 0.25rem 0.3rem; }}
.track {{ position: relative; height: 0.8rem; background: #f5f5f5; }}
.track span {{ position: absolute; top: 0; bottom: 0; }}
.track .exact {{ left: 0; background: #4c72b0; }}
.track .band {{ min-width: 2px; background: repeating-linear-gradient(135deg, #e69f00 0 3px, #fbe3b0 3px 6px); }}
details summary {{ cursor: pointer; color: #4c72b0; margin: 0.5rem 0; }}
</style>
</head>
<body>
<h1>Deltakere i arbeidsrettede tiltak</h1>
<p class="lead">Participants in NAV's labour-market measures by month, {span}, from the nav-tiltak warehouse.
NAV prints values below 4 as "*": such a value, and a total that includes one, is shown as its range
(0–3, say), never as a number of its own. Months no document covers are left empty.</p>

<div id="pickers">
  <label>Geography <select id="pick-geography"></select></label>
  <label>Main group <select id="pick-main-group"></select></label>
  <label>Measure <select id="pick-measure"></select></label>
  <a id="download" href="#" download="nav-tiltak.csv">Download CSV</a>
</div>
<p id="summary"></p>

<h2>Participants per month</h2>
<div id="series-chart" class="chart"></div>
<p class="note">Dots joined by a line: the number of participants as printed (a hollow dot: an exact sum of
printed figures). A hatched bar: the range a suppressed or unknown value lies in. Grey bands: months no
document covers. Orange bands: a break in NAV's series.</p>
<ul id="marks"></ul>

<h2>Change over 12 months</h2>
<div id="change-chart" class="chart"></div>
<p class="note">A dot: the exact change, where both months are known exactly. A hatched bar: the range the
change lies in, where either month is a range. An orange dot or bar compares months across a series break.</p>
<details id="change-details"><summary>The changes as a table</summary>
<table id="change-table"><thead><tr><th>Month</th><th>Participants</th><th>12 months before</th><th>Change</th>
<th>Change %</th><th></th></tr></thead><tbody></tbody></table></details>

<h2>Counties side by side</h2>
<p class="note"><label>Month <select id="pick-month"></select></label> — the main group and measure picked
above. A hatched band is a range where NAV suppressed a value; an orange change compares months across a series
break. Click a county to pick it.</p>
<p id="county-empty" class="note" hidden></p>
<table id="county-table"><thead><tr><th>County</th><th>Participants</th><th>12 months before</th><th>Change</th>
<th></th></tr></thead><tbody></tbody></table>

<script type="application/json" id="overview-data">{_script_json(data)}</script>
<script>{_asset("plotly", "package_data/plotly.min.js")}</script>
<script>{_asset("nav_tiltak", "overview.js")}</script>
<noscript><p>The page draws its charts with JavaScript; please allow it. The data are in the
warehouse's exports (warehouse/nav_tiltak_exports).</p></noscript>
<p class="note">Figures: NAV, <i>Deltakere i arbeidsrettede tiltak</i>; page written by
<code>nav-tiltak report</code> from the published warehouse.</p>
</body>
</html>
"""
