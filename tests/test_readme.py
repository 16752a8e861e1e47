"""The README and docs/ as a newcomer uses them: short, self-contained, and true as written (its commands
exist, its links and paths resolve, the tests it names exist, its example queries give what it shows)."""

from __future__ import annotations

import re
import subprocess

import pytest

from nav_tiltak.paths import PROJECT_DIR

README = PROJECT_DIR / "README.md"
DOCS = sorted((PROJECT_DIR / "docs").glob("*.md"))
_GENERATED = ("warehouse/", "reports/", "protected/", "target/", "seeds/raw")


def _tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, check=True)
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_readme_is_short_and_nothing_tracked_refers_outside_the_repository() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 200
    outside = "/".join(("..", "shared"))
    referring = [name for name in _tracked_files() if (PROJECT_DIR / name).is_file()
                 and outside.encode() in (PROJECT_DIR / name).read_bytes()]
    assert referring == []


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda page: page.name)
def test_links_and_paths_in_the_docs_exist(page) -> None:
    text = page.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text)
    paths = [path.rstrip("/.,") for path in re.findall(r"`((?:data|docs|models|seeds|nav_tiltak|macros|tests|bench|"
                                                       r"scripts)/[\w./-]*)`", text)]
    missing = [path for path in links if not (page.parent / path).exists()]
    missing += [path for path in paths if not path.startswith(_GENERATED) and "*" not in path
                and not (PROJECT_DIR / path).exists()]
    assert missing == []


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda page: page.name)
def test_the_tests_the_docs_name_exist(page) -> None:
    named = set(re.findall(r"\b(test_\w+)", page.read_text(encoding="utf-8")))
    defined = {match for path in (PROJECT_DIR / "tests").glob("test_*.py")
               for match in re.findall(r"def (test_\w+)", path.read_text(encoding="utf-8"))}
    modules = {path.stem for path in (PROJECT_DIR / "tests").glob("test_*.py")}
    assert named - defined - modules - {"test_failures"} == set()  # test_failures: the schema of failing rows


def test_the_readmes_commands_are_the_makefiles() -> None:
    readme = README.read_text(encoding="utf-8")
    makefile = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, re.MULTILINE))
    variables = set(re.findall(r"^(\w+) \?=", makefile, re.MULTILINE))
    commands = re.findall(r"\bmake ([\w-]+)((?: [A-Z_]+=\S+)*)", readme)
    assert {"build", "test"} <= {target for target, _ in commands}
    assert {target for target, _ in commands} <= targets
    assert set(re.findall(r"\b([A-Z_]+)=", " ".join(given for _, given in commands))) <= variables
    assert set(re.findall(r"`([A-Z_]+)=`", readme)) <= variables
    assert re.search(r"^make test$", (PROJECT_DIR / ".ci" / "run").read_text(encoding="utf-8"), re.MULTILINE)
    assert re.search(r"^make build ", readme, re.MULTILINE) and re.search(r"^make test ", readme, re.MULTILINE)


def _examples() -> list[tuple[str, str]]:
    """Each example query of the README and what it says it gives (its `-- ` lines: rows joined by "; ",
    each row's values by spaces; "..." for rows left out)."""
    blocks = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    examples = []
    for block in blocks:
        query, expected = [], []
        for line in block.splitlines():
            if line.startswith("-- "):
                expected.append(line[3:])
            elif expected:
                examples.append(("\n".join(query), " ".join(expected)))
                query, expected = [line] if line.strip() else [], []
            elif line.strip():
                query.append(line)
        examples.append(("\n".join(query), " ".join(expected)))
    return examples


def _shown(value) -> str:
    return "NULL" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


@pytest.mark.parametrize("query, expected", _examples(), ids=lambda value: value.split("\n")[-1][:40])
def test_the_readmes_example_queries_give_what_it_shows(warehouse, query: str, expected: str) -> None:
    assert expected, f"the README shows no result for:\n{query}"
    rows = [" ".join(_shown(value) for value in row) for row in warehouse.sql(query).fetchall()]
    shown = expected.split("; ")
    if "..." in shown:
        cut = shown.index("...")
        head, tail = shown[:cut], shown[cut + 1:]
        assert rows[:len(head)] == head and rows[len(rows) - len(tail):] == tail and len(rows) > len(shown) - 1
    else:
        assert rows == shown
