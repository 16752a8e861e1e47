"""The synthetic NAV workbooks of the municipality-scale benchmark (nav_tiltak.synthetic.area_workbooks): the
loader reads them, every printed cell is the generator's figure as NAV prints it, and the figures hold every
relation the warehouse checks, exactly. No dbt build (the benchmark builds them)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nav_tiltak.document import SUPPRESSED, count_of
from nav_tiltak.layout import normalise_label, read_layout
from nav_tiltak.load import load_documents
from nav_tiltak.synthetic import AreaFigures, area_figures, area_workbooks, area_years
from nav_tiltak.workbook_writer import county_rows

LAYOUT = read_layout()
YEAR = max(sheet.from_year for sheet in LAYOUT.sheets)  # the first year NAV's files have every sheet
ZERO = np.zeros(12, dtype=np.int64)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list, AreaFigures]:
    paths = area_workbooks(tmp_path_factory.mktemp("areas"), YEAR)
    return paths, load_documents(paths, LAYOUT), area_figures(YEAR)


def test_nav_s_file_names_and_sheets(generated) -> None:
    paths, loaded, _ = generated
    assert [path.name for path in paths] == [f"{YEAR}12_{code}_Tidsserie_maaned.xlsx" for code in LAYOUT.tables]
    for document in (item.document for item in loaded):
        assert document.year == YEAR and document.period_months == tuple(range(1, 13))
        assert document.sheets_not_read == ()
        kinds = {table.row_kind for table in document.tables}
        if document.table_code == "TILT100":
            assert kinds == {"measure_group", "municipality"}
            assert [table.measure_type for table in document.tables if table.row_kind == "municipality"] == ["alle"]
        else:
            assert kinds == {"measure_type", "county", "municipality"}


def test_deterministic_from_year_and_seed() -> None:
    first, again, other = area_figures(YEAR), area_figures(YEAR), area_figures(YEAR, seed=1)
    assert all(np.array_equal(first.areas[kind], again.areas[kind]) for kind in first.areas)
    assert all(np.array_equal(first.national[key], again.national[key]) for key in first.national)
    assert not all(np.array_equal(first.areas[kind], other.areas[kind]) for kind in first.areas)


def test_the_figures_hold_every_relation_exactly(generated) -> None:
    """Municipalities add up to their county, counties with 98 and 99 to the block's "I alt", which is the
    national sheet's main groups added up; TILT100's municipality sheet is a municipality's types added up."""
    _, _, figures = generated
    mains = list(LAYOUT.main_group_printed)
    geographies = figures.geographies
    # 358 municipalities (Svalbard, 2100, in no county: its county row is 98), then NAV's two rows without a number
    assert len(geographies) == 360 and [(g.code, g.county) for g in geographies[-3:]] == [
        ("5636", "56"), ("9899", "98"), ("9999", "99")]
    assert next(g.county for g in geographies if g.code == "2100") == "98"
    for kind, by_geography in figures.areas.items():
        national = sum((figures.national.get((main, kind), ZERO) for main in mains), ZERO)
        assert np.array_equal(by_geography.sum(axis=0), national), kind
        counties = figures.counties(kind)
        for county, values in counties.items():
            municipalities = [row for g, row in zip(geographies, by_geography, strict=True) if g.county == county]
            assert np.array_equal(sum(municipalities), values)
        assert np.array_equal(sum(counties.values()), national)
    # Midlertidig lønnstilskudd: about a third of the municipality cells in rows NAV prints are `*`, as in
    # NAV's real sheets of 2025 (data/nav-county: 1,503 of 4,224).
    rows = figures.areas["midlertidig_lonnstilskudd"][:-2]
    rows = rows[rows.any(axis=1)]
    assert 0.2 <= (rows < 4).mean() <= 0.45
    # National totals near the real ones (data/nav-national: 72,000 to 91,000 a month in 2023-2026).
    total = sum(figures.national.values())
    assert total.min() >= 60_000 and total.max() <= 110_000


def _expected(figures: AreaFigures, table, label: str) -> np.ndarray | None:
    """The generator's figure of a printed row of a loaded table (None: a TILT110-180 block's total)."""
    kinds = [kind for kind in LAYOUT.measure_types if kind.code in figures.measure_types]
    is_total = normalise_label(label).startswith(normalise_label(LAYOUT.total))
    if table.row_kind in ("county", "municipality"):
        by_geography = (sum(figures.areas[kind.code] for kind in kinds) if table.measure_type == "alle"
                        else figures.areas[table.measure_type])
        if is_total:
            return by_geography.sum(axis=0)
        if table.row_kind == "county":
            code = {printed: code for code, printed in county_rows(LAYOUT, figures.months[0])}[label]
            return figures.counties(table.measure_type)[code]
        return by_geography[[geography.label for geography in figures.geographies].index(label)]
    main = table.main_group
    if table.row_kind == "measure_group":
        if is_total:
            return sum((values for (m, _), values in figures.national.items() if m == main), ZERO)
        group = LAYOUT.measure_groups[normalise_label(label)]
        return sum((figures.national.get((main, kind.code), ZERO) for kind in kinds if kind.measure_group == group),
                   ZERO)
    return None if is_total else figures.national[(main, LAYOUT.measure_type_labels[normalise_label(label)])]


def test_every_printed_cell_is_the_figure_as_nav_prints_it(generated) -> None:
    """A count from 4 as itself, below 4 as `*`; a row or block left out has no participants all year."""
    _, loaded, figures = generated
    seen = 0
    printed_rows: dict[tuple[str, str], set[str]] = {}
    for document in (item.document for item in loaded):
        for table in document.tables:
            printed_rows.setdefault((table.row_kind, table.measure_type), set()).update(table.row_labels)
            for label, values in zip(table.row_labels, table.row_values, strict=True):
                expected = _expected(figures, table, label)
                cells = values.split("\t")
                if expected is None:  # block totals: the sum of the printed rows' figures is checked above
                    continue
                for month, (cell, value) in enumerate(zip(cells, expected.tolist(), strict=True), start=1):
                    assert cell == (SUPPRESSED if value < 4 else f"{value:,}".replace(",", " ")), (
                        document.source_name, table.sheet, label, month)
                    assert cell == SUPPRESSED or count_of(cell) == value
                    seen += 1
    assert seen > 100_000
    # Left out: a municipality without participants in the year, and a type's block without participants.
    for kind, by_geography in figures.areas.items():
        shown = printed_rows.get(("municipality", kind), set())
        for geography, values in zip(figures.geographies, by_geography, strict=True):
            assert (geography.label in shown) == bool(values.any()), (kind, geography.label)


def test_several_years_in_parallel_are_the_years_one_by_one(tmp_path: Path, generated) -> None:
    paths, _, _ = generated
    _, loaded, _ = generated
    written = area_years(tmp_path, [YEAR, YEAR + 1], workers=2)
    assert [path.name for path in written[:len(paths)]] == [path.name for path in paths]
    assert [item.document for item in load_documents(written[:len(paths)], LAYOUT)] == [
        item.document for item in loaded]
    assert {path.name[:4] for path in written} == {str(YEAR), str(YEAR + 1)}
