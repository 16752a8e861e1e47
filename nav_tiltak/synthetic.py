"""Synthetic NAV documents in the exact printed format, for tests and benchmarks.

Same tables, titles (split over lines as NAV splits them), label spellings and layout as the 2021 edition
(NAV's layout: ``nav_tiltak.layout``); realistic counts; every value below 4 printed as "*"; rows and tables
without participants omitted; and totals consistent (counties add up to "I alt", main groups add up to the
all-groups table). The county structure is the one valid in the year (15 counties from 2024).
"""

from __future__ import annotations

import random

from nav_tiltak.layout import read_layout

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
