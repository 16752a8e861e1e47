"""Synthetic NAV documents in the exact printed format, for tests and benchmarks.

Same tables, titles (split over lines as NAV splits them), label spellings and layout as the 2021 edition;
realistic counts; every value below 4 printed as "*"; rows and tables without participants omitted; and
totals consistent (counties add up to "I alt", main groups add up to the all-groups table). The county
structure is the one valid in the year (15 counties from 2024).
"""

from __future__ import annotations

import random

MONTHS = ["Januar", "Februar", "Mars", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Desember"]

# county code -> (label as NAV prints it, share of participants)
COUNTIES_2020 = {
    "03": ("Oslo", 0.12), "11": ("Rogaland", 0.08), "15": ("Møre og Romsdal", 0.05),
    "18": ("Nordland - Nordlånnda", 0.05), "30": ("Viken", 0.24), "34": ("Innlandet", 0.07),
    "38": ("Vestfold og Telemark", 0.08), "42": ("Agder", 0.07), "46": ("Vestland", 0.10),
    "50": ("Trøndelag - Tröndelage", 0.08), "54": ("Troms og Finnmark - Romsa ja Finnmarku", 0.05),
}
COUNTIES_2024 = {
    **{code: value for code, value in COUNTIES_2020.items() if code not in {"30", "38", "54"}},
    "31": ("Østfold", 0.06), "32": ("Akershus", 0.12), "33": ("Buskerud", 0.06), "39": ("Vestfold", 0.045),
    "40": ("Telemark", 0.035), "55": ("Troms - Romsa - Tromssa", 0.035),
    "56": ("Finnmark - Finnmárku - Finmarkku", 0.015),
}
OTHER_ROWS = {"98": ("Øvrige områder", 0.0001), "99": ("Ukjent", 0.0004)}

# measure group -> (title of the all-groups table, the title's word after a main group, national size)
MEASURES = {
    "avklaring": ("Avklaringstiltak", "avklaringstiltak", 3700),
    "oppfolging": ("Oppfølging", "oppfølging", 17500),
    "opplaering": ("Opplæring", "opplæring", 14500),
    "lonnstilskudd": ("Lønnstilskudd", "lønnstilskudd", 12000),
    "arbeidspraksis": ("Arbeidspraksis", "arbeidspraksis", 14000),
    "arbeidsrettet_rehabilitering": ("Arbeidsrettet rehabilitering", "arbeidsrettet rehabilitering", 1000),
    "tilrettelagt_arbeid": ("Tilrettelagt arbeid", "tilrettelagt arbeid", 12100),
    "tilrettelegging": ("Tilrettelegging", "tilrettelegging", 580),
    "jobbskaping_og_egenetablering": ("Jobbskaping og egenetablering", "jobbskaping og egenetablering", 135),
}
# main group -> (title prefix as printed, whether NAV splits the title after it, share per measure group)
MAIN_GROUPS = {
    "arbeidssokere": ("Arbeidssøkere på tiltak,", True, {
        "avklaring": 0.12, "oppfolging": 0.36, "opplaering": 0.27, "lonnstilskudd": 0.18,
        "arbeidspraksis": 0.20, "jobbskaping_og_egenetablering": 0.72}),
    "nedsatt_arbeidsevne": ("Nedsatt arbeidsevne, på tiltak,", False, {
        "avklaring": 0.78, "oppfolging": 0.62, "opplaering": 0.72, "lonnstilskudd": 0.80,
        "arbeidspraksis": 0.797, "arbeidsrettet_rehabilitering": 0.70, "tilrettelagt_arbeid": 1.0,
        "tilrettelegging": 0.37, "jobbskaping_og_egenetablering": 0.26}),
    "andre": ("Andre på tiltak,", True, {
        "avklaring": 0.10, "oppfolging": 0.02, "opplaering": 0.01, "lonnstilskudd": 0.02,
        "arbeidspraksis": 0.003, "arbeidsrettet_rehabilitering": 0.30, "tilrettelegging": 0.63,
        "jobbskaping_og_egenetablering": 0.02}),
}
HEADING = "Deltakere i arbeidsrettede tiltak. Tiltaksgruppe og fylke. Tidsserie måned"


def printed(value: int) -> str:
    """NAV's way: "*" below 4, a space between thousands."""
    return "*" if value < 4 else f"{value:,}".replace(",", " ")


def document(year: int, seed: int = 0) -> str:
    """One edition: all tables for the twelve months of ``year``."""
    rng = random.Random(seed * 10_000 + year)
    counties = {**dict(sorted((COUNTIES_2024 if year >= 2024 else COUNTIES_2020).items())), **OTHER_ROWS}
    # counts[(main, measure, county)][month]: per main group, then summed into the all-groups tables
    counts: dict[tuple[str, str, str], list[int]] = {}
    for measure, (_, _, size) in MEASURES.items():
        level = size * rng.uniform(0.85, 1.15)
        for main, (_, _, shares) in MAIN_GROUPS.items():
            for code, (_, share) in counties.items():
                base = level * shares.get(measure, 0) * share * rng.uniform(0.6, 1.4)
                counts[(main, measure, code)] = [
                    max(0, round(base * (0.7 if month == 6 else 1.0) * rng.uniform(0.9, 1.1)
                                 + rng.choice([0, 0, 0, 1, -1]))) if base > 0 else 0
                    for month in range(12)]
    lines = ["", "", "", "", HEADING, "", "Om tabellene", "", f"Januar - Desember {year}", "",
             "I henhold til Statistikklovens § 7-1 har NAV valgt å erstatte verdier i celler hvor tallene er "
             "mindre enn 4 med spesialtegn «*».", ""]

    def table(section: str, title_lines: list[str], total_label: str, rows: dict[str, list[int]]) -> None:
        shown = {code: values for code, values in rows.items() if any(values)}  # NAV omits empty rows
        if not shown:
            return  # and empty tables
        national = [sum(values[m] for values in rows.values()) for m in range(12)]
        lines.extend([HEADING, "", section, "", f"Januar - Desember {year}", "", *title_lines, "",
                      "\t" + "\t".join(MONTHS), "\t".join([total_label, *map(printed, national)])])
        lines.extend("\t".join([counties[code][0], *map(printed, values)]) for code, values in shown.items())
        lines.extend(["", "", ""])

    for measure, (title, _, _) in MEASURES.items():
        rows = {code: [sum(counts[(main, measure, code)][m] for main in MAIN_GROUPS) for m in range(12)]
                for code in counties}
        table("Fylke og tiltaksgruppe", [title], f"I alt {title[0].lower()}{title[1:]}", rows)
    for main, (prefix, split, _) in MAIN_GROUPS.items():
        for measure, (_, word, _) in MEASURES.items():
            rows = {code: counts[(main, measure, code)] for code in counties}
            title_lines = [prefix, *word.replace("og ", "og\n").split("\n")] if split else [f"{prefix} {word}"]
            total = f"I alt {prefix[0].lower()}{prefix[1:]} {word}"
            table("Fylke, hovedgrupper og tiltaksgrupper", title_lines, total, rows)
    return "\n".join(lines) + "\n"
