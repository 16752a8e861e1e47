"""Synthetic NAV documents in the exact printed format, for tests and benchmarks.

- ``document``: a year of county tables as text, as the 2021 edition: same tables, titles (split over lines
  as NAV splits them), label spellings and layout (NAV's layout: ``nav_tiltak.layout``); realistic counts;
  every value below 4 printed as "*"; rows and tables without participants omitted; and totals consistent
  (counties add up to "I alt", main groups add up to the all-groups table). The county structure is the one
  valid in the year (15 counties from 2024).
- ``area_workbooks`` (``area_years`` for several years): a year of NAV's workbooks, TILT100 and
  TILT110-TILT180, with the national sheet and, from the years NAV's files have them, the county sheet and
  the municipality sheets of every measure type, written by the workbook writer's sheet helpers
  (``nav_tiltak.workbook_writer``) and consistent so that every relation the warehouse checks holds exactly
  (see ``area_figures``). For the municipality-scale benchmark (`make bench AREAS="1 10"`).
"""

from __future__ import annotations

import csv
import os
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from nav_tiltak.layout import read_layout
from nav_tiltak.paths import REFERENCE_DIR
from nav_tiltak.workbook_writer import (
    COUNTY_DATA,
    NATIONAL_DATA,
    area_block_label,
    area_sheet,
    block_total,
    county_rows,
    footnote,
    national_block,
    national_title,
    new_workbook,
    read_areas,
    read_national,
    save,
)

# The generator's own parameters (not NAV's layout): each geography's share of participants, by county code
# (the 2020-2023 structure, then the counties the 2024 reform made), each measure group's national size,
# and each main group's share of a measure group.
COUNTY_SHARES = {"03": 0.12, "11": 0.08, "15": 0.05, "18": 0.05, "30": 0.24, "34": 0.07, "38": 0.08, "42": 0.07,
                 "46": 0.10, "50": 0.08, "54": 0.05, "31": 0.06, "32": 0.12, "33": 0.06, "39": 0.045, "40": 0.035,
                 "55": 0.035, "56": 0.015, "98": 0.0001, "99": 0.0004}
SIZES = {"avklaring": 3700, "oppfolging": 17500, "opplaering": 14500, "lonnstilskudd": 12000, "arbeidspraksis": 14000,
         "arbeidsrettet_rehabilitering": 1000, "tilrettelagt_arbeid": 12100, "tilrettelegging": 580,
         "jobbskaping_og_egenetablering": 135}
MAIN_GROUP_SHARES = {
    "arbeidssokere": {"avklaring": 0.12, "oppfolging": 0.36, "opplaering": 0.27, "lonnstilskudd": 0.18,
                      "arbeidspraksis": 0.20, "jobbskaping_og_egenetablering": 0.72},
    "nedsatt_arbeidsevne": {"avklaring": 0.78, "oppfolging": 0.62, "opplaering": 0.72, "lonnstilskudd": 0.80,
                            "arbeidspraksis": 0.797, "arbeidsrettet_rehabilitering": 0.70, "tilrettelagt_arbeid": 1.0,
                            "tilrettelegging": 0.37, "jobbskaping_og_egenetablering": 0.26},
    "andre": {"avklaring": 0.10, "oppfolging": 0.02, "opplaering": 0.01, "lonnstilskudd": 0.02,
              "arbeidspraksis": 0.003, "arbeidsrettet_rehabilitering": 0.30, "tilrettelegging": 0.63,
              "jobbskaping_og_egenetablering": 0.02},
}
# How the 2021 document prints a main group's table titles: split after the main group (and before "og").
SPLIT_TITLE = {"arbeidssokere": True, "nedsatt_arbeidsevne": False, "andre": True}
HEADING = "Deltakere i arbeidsrettede tiltak. Tiltaksgruppe og fylke. Tidsserie måned"


def printed(value: int) -> str:
    """NAV's way: "*" below 4, a space between thousands."""
    return "*" if value < 4 else f"{value:,}".replace(",", " ")


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def document(year: int, seed: int = 0) -> str:
    """One edition: all tables for the twelve months of ``year``."""
    layout = read_layout()
    rng = random.Random(seed * 10_000 + year)
    day = f"{year}-01-01"
    counties = {county.code: county.printed for county in layout.counties
                if county.level != "national" and county.valid_from <= day <= county.valid_to}
    counties = {**{code: counties[code] for code in sorted(counties) if code < "98"},
                **{code: counties[code] for code in ("98", "99")}}
    # counts[(main, measure, county)][month]: per main group, then summed into the all-groups tables
    counts: dict[tuple[str, str, str], list[int]] = {}
    for measure, size in SIZES.items():
        level = size * rng.uniform(0.85, 1.15)
        for main, shares in MAIN_GROUP_SHARES.items():
            for code in counties:
                base = level * shares.get(measure, 0) * COUNTY_SHARES[code] * rng.uniform(0.6, 1.4)
                counts[(main, measure, code)] = [
                    max(0, round(base * (0.7 if month == 6 else 1.0) * rng.uniform(0.9, 1.1)
                                 + rng.choice([0, 0, 0, 1, -1]))) if base > 0 else 0
                    for month in range(12)]
    lines = ["", "", "", "", HEADING, "", "Om tabellene", "", f"{layout.months[0]} - {layout.months[-1]} {year}", "",
             "I henhold til Statistikklovens § 7-1 har NAV valgt å erstatte verdier i celler hvor tallene er "
             f"mindre enn 4 med spesialtegn «{layout.suppressed}».", ""]

    def table(section: str, title_lines: list[str], total_label: str, rows: dict[str, list[int]]) -> None:
        shown = {code: values for code, values in rows.items() if any(values)}  # NAV omits empty rows
        if not shown:
            return  # and empty tables
        national = [sum(values[m] for values in rows.values()) for m in range(12)]
        lines.extend([HEADING, "", section, "", f"{layout.months[0]} - {layout.months[-1]} {year}", "",
                      *title_lines, "", "\t" + "\t".join(layout.months),
                      "\t".join([total_label, *map(printed, national)])])
        lines.extend("\t".join([counties[code], *map(printed, values)]) for code, values in shown.items())
        lines.extend(["", "", ""])

    for measure in SIZES:
        title = layout.measure_group_printed[measure]
        rows = {code: [sum(counts[(main, measure, code)][m] for main in MAIN_GROUP_SHARES) for m in range(12)]
                for code in counties}
        table("Fylke og tiltaksgruppe", [title], f"{layout.total} {_lower_first(title)}", rows)
    for main in MAIN_GROUP_SHARES:
        prefix = layout.main_group_printed[main] + ","
        for measure in SIZES:
            word = _lower_first(layout.measure_group_printed[measure])
            rows = {code: counts[(main, measure, code)] for code in counties}
            title_lines = ([prefix, *word.replace("og ", "og\n").split("\n")] if SPLIT_TITLE[main]
                           else [f"{prefix} {word}"])
            total = f"{layout.total} {_lower_first(prefix)} {word}"
            table("Fylke, hovedgrupper og tiltaksgrupper", title_lines, total, rows)
    return "\n".join(lines) + "\n"


# --- Synthetic NAV workbooks (TILT100, TILT110-TILT180) with their county and municipality sheets ---------------
#
# The figures of a year are made bottom up, so that every relation the warehouse checks holds exactly: each
# measure type's national count per main group and month (around the real level of the same calendar month
# in data/nav-national), their sum over the main groups spread over the geographies (each municipality, and
# NAV's rows without a number, "Øvrige områder" and "Ukjent") by a multinomial draw; a county's count is then
# the sum of its municipalities, "Svalbard og øvrige områder" Svalbard's plus "Øvrige områder", a block's
# "I alt" the sum of its rows, a measure group the sum of its types, TILT100's municipality sheet the sum of
# a municipality's types. Values below 4 are printed "*"; a row without participants all year is left out,
# and so is a block (a main group or a measure type) without participants.

# How participants spread over the geographies: each municipality's weight is its real mean of all
# participants (data/nav-county, TILT100's municipality sheet 2025; a municipality with every month `*`:
# SMALL_WEIGHT), times a draw per measure type and year from a gamma distribution of this shape (mean 1: a
# smaller shape concentrates a type in fewer municipalities); NAV's rows without a number take these shares
# of a measure type's participants.
SMALL_WEIGHT = 2.0
WEIGHT_POWER = 0.9
TYPE_SPREAD = 8.0
NO_NUMBER_SHARES = {"other": 0.0004, "unknown": 0.0003}
SUPPRESSED_PRINTED_AS = 1.5  # a `*` in the real national figures, as a level
SYNTHETIC_NOTE = ("Denne arbeidsboken er syntetisk: laget av nav-tiltak (nav_tiltak/synthetic.py) med tilfeldige tall "
                  "i NAV's oppsett, til tester og målinger; tallene er ikke NAV's.")
CREATOR = "nav-tiltak (nav_tiltak/synthetic.py)"


@dataclass(frozen=True)
class Geography:
    code: str  # a municipality's four-digit number, or NAV's row without a number: 9899, 9999
    county: str  # the county row it counts in: its county, or 98 (Svalbard, other areas) and 99 (unknown)
    label: str  # as the municipality sheet prints it: "0301 Oslo", "Øvrige områder"


@dataclass(frozen=True)
class AreaFigures:
    """A year's true counts (before NAV's `*`), as whole numbers per month (an array of 12, January first):
    ``national[(main group, measure type)]``, and ``areas[measure type]`` per geography (rows in the order of
    ``geographies``) for all main groups together; 0 outside a measure type's validity."""

    year: int
    months: tuple[str, ...]  # "2025-01-01" ...
    measure_types: tuple[str, ...]  # valid in a month of the year, in NAV's order
    geographies: tuple[Geography, ...]  # none in a year before the municipality structure of the reference
    national: dict[tuple[str, str], np.ndarray]
    areas: dict[str, np.ndarray]

    def measure_type_total(self, kind: str) -> np.ndarray:
        return sum((values for (_, k), values in self.national.items() if k == kind), np.zeros(12, dtype=np.int64))

    def counties(self, kind: str) -> dict[str, np.ndarray]:
        """A measure type's count per county row (county code, 98, 99): the sums of its geographies."""
        out: dict[str, np.ndarray] = {}
        for geography, values in zip(self.geographies, self.areas[kind], strict=True):
            out[geography.county] = out.get(geography.county, 0) + values
        return out


@cache
def _national_levels() -> tuple[dict[tuple[str, str], np.ndarray], dict[str, tuple[str, str]]]:
    """Each (main group, measure type)'s real level per calendar month: the mean over the real months in
    data/nav-national where the type is valid (a `*` as SUPPRESSED_PRINTED_AS, no row as 0); and each
    measure type's validity."""
    layout = read_layout()
    groups, types = read_national(NATIONAL_DATA, layout)
    months = sorted({key[-1] for key in groups})
    validity = {kind.code: (kind.valid_from, kind.valid_to) for kind in layout.measure_types}
    pairs = sorted({(main, kind) for (main, _, kind, _) in types})
    levels = {}
    for main, kind in pairs:
        group = next(t.measure_group for t in layout.measure_types if t.code == kind)
        sums, counts = np.zeros(12), np.zeros(12)
        for month in months:
            if validity[kind][0] <= month <= validity[kind][1]:
                value = types.get((main, group, kind, month), 0)
                sums[int(month[5:7]) - 1] += SUPPRESSED_PRINTED_AS if value is None else value
                counts[int(month[5:7]) - 1] += 1
        levels[(main, kind)] = np.divide(sums, counts, out=np.zeros(12), where=counts > 0)
    return levels, validity


@cache
def _geographies(year: int) -> tuple[tuple[Geography, ...], np.ndarray]:
    """The municipalities valid in the year (seeds/reference/ref_municipalities.csv) and NAV's two rows
    without a number, with each one's weight."""
    layout = read_layout()
    day = f"{year}-01-01"
    with open(REFERENCE_DIR / "ref_municipalities.csv", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle)
                if row["valid_from"] <= day <= (row["valid_to"] or "9999-12-31")]
    _, municipalities, _ = read_areas(COUNTY_DATA, layout)
    real: dict[str, list[int]] = {}
    for (code, kind, _), value in municipalities.items():
        if kind == "alle" and value is not None:
            real.setdefault(code, []).append(value)
    places = [row for row in rows if row["geography_level"] == "municipality"]
    if not places:  # a year before the municipality structure of the reference: no county or municipality sheets
        return (), np.zeros(0)
    weights = [float(np.mean(real[row["municipality_code"]])) ** WEIGHT_POWER if row["municipality_code"] in real
               else SMALL_WEIGHT for row in places]
    geographies = [Geography(row["municipality_code"], row["county_code"],
                             f"{row['municipality_code']} {row['municipality_name']}") for row in places]
    printed = {county.code: county.printed for county in layout.counties}
    for row in rows:
        if row["geography_level"] in NO_NUMBER_SHARES:
            geographies.append(Geography(row["municipality_code"], row["county_code"], printed[row["county_code"]]))
            weights.append(sum(weights[:len(places)]) * NO_NUMBER_SHARES[row["geography_level"]])
    return tuple(geographies), np.asarray(weights)


def area_figures(year: int, seed: int = 0) -> AreaFigures:
    """A year's figures, deterministic from (year, seed)."""
    layout = read_layout()
    levels, validity = _national_levels()
    geographies, weights = _geographies(year)
    rng = np.random.default_rng([seed, year])
    months = tuple(f"{year}-{month:02d}-01" for month in range(1, 13))
    national: dict[tuple[str, str], np.ndarray] = {}
    areas: dict[str, np.ndarray] = {}
    kinds = []
    for kind in layout.measure_types:
        valid = np.array([validity[kind.code][0] <= month <= validity[kind.code][1] for month in months])
        if not valid.any():
            continue
        kinds.append(kind.code)
        level = rng.uniform(0.9, 1.1)
        for main in layout.main_group_printed:
            base = levels.get((main, kind.code))
            if base is not None:
                noise = rng.uniform(0.95, 1.05, 12)
                national[(main, kind.code)] = np.where(valid, np.rint(base * level * noise), 0).astype(np.int64)
        total = sum((national[(main, kind.code)] for main in layout.main_group_printed
                     if (main, kind.code) in national), np.zeros(12, dtype=np.int64))
        if geographies:
            share = weights * rng.gamma(TYPE_SPREAD, 1 / TYPE_SPREAD, len(weights))
            share /= share.sum()
            areas[kind.code] = np.stack([rng.multinomial(count, share) for count in total], axis=1)
    return AreaFigures(year, months, tuple(kinds), geographies, national, areas)


def _printed(values: np.ndarray, valid: np.ndarray | None = None) -> list:
    """A row's cells as the workbook writer takes them: a count from 4, None for NAV's `*` (0..3), "" where
    the measure type is not valid (not printed)."""
    cells = [int(value) if value >= 4 else None for value in values.tolist()]
    return cells if valid is None else [cell if ok else "" for cell, ok in zip(cells, valid, strict=True)]


def _written(figures: AreaFigures, code: str, folder: Path) -> Path:
    """One NAV table of the year as NAV's workbook: its national sheet, and its county and municipality
    sheets where NAV's files have them (ref_nav_sheets.csv's first year)."""
    layout = read_layout()
    year = figures.year
    groups = layout.tables[code]
    main_groups = list(layout.main_group_printed)
    kinds = [kind for kind in layout.measure_types if kind.code in figures.measure_types
             and (code == "TILT100" or kind.measure_group in groups)]
    valid = {kind.code: np.array([kind.valid_from <= month <= kind.valid_to for month in figures.months])
             for kind in kinds}
    workbook, sheet, header = new_workbook(code, year, 12, layout, write_only=True, source_note=SYNTHETIC_NOTE)
    national_title(sheet, code, year, layout)
    for main in main_groups:
        if code == "TILT100":
            rows = [(layout.measure_group_printed[group],
                     sum((figures.national[(main, kind.code)] for kind in kinds
                          if kind.measure_group == group and (main, kind.code) in figures.national),
                         np.zeros(12, dtype=np.int64)), None) for group in layout.measure_group_printed]
        else:
            rows = [(kind.printed, figures.national[(main, kind.code)], valid[kind.code]) for kind in kinds
                    if (main, kind.code) in figures.national]
        rows = [row for row in rows if row[1].any()]  # NAV leaves out rows, and blocks, without participants
        if rows:
            total = sum(values for _, values, _ in rows)
            national_block(sheet, header, layout, block_total(layout, main), _printed(total),
                           [(label, _printed(values, ok)) for label, values, ok in rows])
    sheet.append(footnote(layout))
    for kind_of_sheet in layout.sheets_of(code):
        if kind_of_sheet.rows not in ("county", "municipality") or kind_of_sheet.from_year > year:
            continue
        if not figures.geographies:
            raise ValueError(f"{year}: {kind_of_sheet.name} needs the municipalities valid in the year "
                             "(seeds/reference/ref_municipalities.csv has none)")
        blocks = []
        for kind in ["alle"] if kind_of_sheet.blocks == "all_measures" else [kind.code for kind in kinds]:
            ok = None if kind == "alle" else valid[kind]
            by_geography = sum(figures.areas[k.code] for k in kinds) if kind == "alle" else figures.areas[kind]
            if kind_of_sheet.rows == "county":
                counties = {}
                for geography, values in zip(figures.geographies, by_geography, strict=True):
                    counties[geography.county] = counties.get(geography.county, 0) + values
                rows = [(label, counties[county]) for county, label in county_rows(layout, figures.months[0])
                        if county in counties]
            else:
                rows = [(geography.label, values) for geography, values in zip(figures.geographies, by_geography,
                                                                                 strict=True)]
            rows = [(label, _printed(values, ok)) for label, values in rows if values.any()]
            if rows:
                blocks.append((area_block_label(layout, kind), _printed(by_geography.sum(axis=0), ok), rows))
        if blocks:
            area_sheet(workbook, code, kind_of_sheet.rows, year, blocks, layout)
    path = folder / f"{year}12_{code}_Tidsserie_maaned.xlsx"
    save(workbook, path, creator=CREATOR)
    return path


def area_workbooks(folder: Path, year: int, seed: int = 0) -> list[Path]:
    """TILT100 and TILT110-TILT180 of ``year`` as NAV publishes them ({year}12_TILT1x0_Tidsserie_maaned.xlsx),
    with the national sheet, and the county and municipality sheets of every measure type with participants
    in the year; deterministic from (year, seed). Returns the paths."""
    figures = area_figures(year, seed)
    folder.mkdir(parents=True, exist_ok=True)
    return [_written(figures, code, folder) for code in read_layout().tables]


def _one_year(task: tuple[Path, int, int]) -> list[Path]:
    return area_workbooks(*task)


def area_years(folder: Path, years: list[int], seed: int = 0, workers: int | None = None) -> list[Path]:
    """``area_workbooks`` for several years, a year per process (on every core unless ``workers``)."""
    workers = min(len(years), workers or os.cpu_count() or 1)
    if workers <= 1:
        return [path for year in years for path in area_workbooks(folder, year, seed)]
    with ProcessPoolExecutor(workers) as pool:
        return [path for paths in pool.map(_one_year, [(folder, year, seed) for year in years]) for path in paths]
