"""The overview page of the warehouse (``nav-tiltak report``: reports/overview.html), self-contained.

Three pictures a reader of this statistic wants, drawn with matplotlib as inline SVG (no network needed to
view the page): participants per measure group over the months, the main-group by measure-group matrix,
and the counties side by side. A suppressed value is drawn as its range (0-3, or the summed bounds of a
total that includes one), never as a zero.
"""

from __future__ import annotations

import datetime
import html
import io

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False,
                     "axes.spines.right": False})


def figure_svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog: the SVG sits inside HTML


def count_text(count, low, high) -> str:
    """A count as a reader should see it: exact, or its range where suppression hides it."""
    return f"{count:,}".replace(",", " ") if count is not None else f"{low:,}–{high:,}".replace(",", " ")


def measure_groups_over_months(connection) -> str:
    rows = connection.execute("""
        select m.measure_group_name_nb, f.month_date, f.participant_count_low, f.participant_count_high
        from marts.main_group_by_measure_group as f
        join marts.dim_measure_group as m using (measure_group)
        where f.county_code = '00' and f.main_group = 'alle' and f.measure_group != 'alle'
        order by m.sort_order, f.month_date
    """).fetchall()
    figure, axes = plt.subplots(figsize=(9, 4.2))
    for name in dict.fromkeys(r[0] for r in rows):
        series = _with_gaps([r[1:] for r in rows if r[0] == name])
        months = [r[0] for r in series]
        lows, highs = [r[1] for r in series], [r[2] for r in series]
        middles = [float("nan") if lo is None else (lo + hi) / 2 for lo, hi in zip(lows, highs, strict=True)]
        line, = axes.plot(months, middles, marker="o", markersize=2, label=name)
        axes.fill_between(months, [float("nan") if v is None else v for v in lows],  # suppressed: a range
                          [float("nan") if v is None else v for v in highs], color=line.get_color(), alpha=0.25)
    axes.set_ylabel("deltakere (participants)")
    axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    axes.set_title("Deltakere per tiltaksgruppe, hele landet")
    return figure_svg(figure)


def _with_gaps(series: list[tuple]) -> list[tuple]:
    """(month, low, high) rows with a (month, None, None) row inside each run of months no document covers
    (2022, say), so that a line breaks there instead of drawing across it."""
    result: list[tuple] = []
    for row in series:
        if result and (row[0].year * 12 + row[0].month) - (result[-1][0].year * 12 + result[-1][0].month) > 1:
            result.append((result[-1][0] + datetime.timedelta(days=31), None, None))
        result.append(row)
    return result


def counties_side_by_side(connection, month) -> str:
    rows = connection.execute("""
        select c.county_name_nb, f.participant_count, f.participant_count_low, f.participant_count_high
        from marts.main_group_by_measure_group as f
        join marts.dim_county as c using (county_code)
        where f.month_date = ? and f.main_group = 'alle' and f.measure_group = 'alle' and f.county_code != '00'
        order by c.sort_order
    """, [month]).fetchall()
    figure, axes = plt.subplots(figsize=(9, 4.6))
    names = [r[0] for r in rows]
    lows, highs = [r[2] for r in rows], [r[3] for r in rows]
    axes.barh(names, lows, color="#4c72b0")
    axes.barh(names, [hi - lo for lo, hi in zip(lows, highs, strict=True)], left=lows, color="#4c72b0", alpha=0.35,
              hatch="//", label="ukjent del (suppressed: range)")
    for index, (count, low, high) in enumerate((r[1], r[2], r[3]) for r in rows):
        axes.text(high, index, " " + count_text(count, low, high), va="center")
    axes.invert_yaxis()
    axes.set_xlabel("deltakere (participants), alle tiltak og hovedgrupper")
    axes.set_title(f"Fylkene side om side, {month:%m.%Y}")
    if any(hi > lo for lo, hi in zip(lows, highs, strict=True)):
        axes.legend(frameon=False, loc="lower right")
    return figure_svg(figure)


def matrix_table(connection, month) -> str:
    rows = connection.execute("""
        select g.main_group_name_nb, m.measure_group_name_nb, f.participant_count, f.participant_count_low,
            f.participant_count_high, f.is_published
        from marts.main_group_by_measure_group as f
        join marts.dim_main_group as g using (main_group)
        join marts.dim_measure_group as m using (measure_group)
        where f.month_date = ? and f.county_code = '00'
        order by g.sort_order, m.sort_order
    """, [month]).fetchall()
    measures = list(dict.fromkeys(r[1] for r in rows))
    mains = list(dict.fromkeys(r[0] for r in rows))
    cells = {(r[0], r[1]): r for r in rows}
    largest = max(r[4] for r in rows if r[0] != mains[-1] and r[1] != measures[-1]) or 1
    head = "".join(f"<th>{html.escape(m)}</th>" for m in mains)
    body = []
    for measure in measures:  # a row per measure group, a column per main group: fits a page's width
        tds = []
        for main in mains:
            _, _, count, low, high, published = cells[(main, measure)]
            shade = 0.08 + 0.6 * min(high / largest, 1)
            classes = " ".join(filter(None, ["range" if count is None else "", "" if published else "derived"]))
            tds.append(f'<td class="{classes}" style="background: rgba(76,114,176,{shade:.2f})">'
                       f"{count_text(count, low, high)}</td>")
        body.append(f"<tr><th>{html.escape(measure)}</th>{''.join(tds)}</tr>")
    return (f'<table class="matrix"><thead><tr><th></th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def render(connection) -> str:
    """The page's HTML."""
    month = connection.execute("select max(month_date) from marts.dim_month").fetchone()[0]
    first = connection.execute("select min(month_date) from marts.dim_month").fetchone()[0]
    # The counties are in the county tables only: their latest month may be older than the national series'.
    county_month = connection.execute("select max(month_date) from marts.main_group_by_measure_group "
                                      "where county_code != '00'").fetchone()[0]
    figures = [
        ("measure-groups-over-months", "Participants per measure group, Norway, "
         f"{first:%m.%Y}–{month:%m.%Y}. A shaded band is the range a suppressed value allows.",
         measure_groups_over_months(connection)),
        ("main-group-by-measure-group", f"Main group by measure group, Norway, {month:%m.%Y}. Ranges where "
         "NAV printed \"*\" (0–3) or a sum includes one; grey text is derived here, not printed by NAV.",
         matrix_table(connection, month)),
        ("counties-side-by-side", f"Counties side by side, all measures and main groups, {county_month:%m.%Y} "
         "(the latest month of the county tables). The hatched part of a bar is the range suppressed cells "
         "leave open.", counties_side_by_side(connection, county_month)),
    ]
    sections = "\n".join(f'<figure id="{key}">{content}<figcaption>{html.escape(caption)}</figcaption></figure>'
                         for key, caption, content in figures)
    return f"""<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<title>Deltakere i arbeidsrettede tiltak — oversikt</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 980px; color: #222; }}
figure {{ margin: 2rem 0; }} figcaption {{ color: #555; font-size: 0.9rem; }}
table.matrix {{ border-collapse: collapse; font-size: 0.85rem; }}
table.matrix th, table.matrix td {{ border: 1px solid #ddd; padding: 0.3rem 0.45rem; text-align: right; }}
table.matrix td.range {{ font-style: italic; }} table.matrix td.derived {{ color: #666; }}
</style>
</head>
<body>
<h1>Deltakere i arbeidsrettede tiltak</h1>
<p>Participants in NAV's labour-market measures, from the nav-tiltak warehouse. Values below 4 are printed
by NAV as "*": they are shown here as the range 0–3, never as 0.</p>
{sections}
</body>
</html>
"""

