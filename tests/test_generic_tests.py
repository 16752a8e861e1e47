"""Each of our generic dbt tests (macros/tests) runs on fixed rows and must fail exactly as declared: a
test that cannot fail is a defect. The fixture project is tests/generic_tests_project."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_DIR

pytestmark = pytest.mark.e2e  # builds with dbt


def test_generic_tests_fail_exactly_where_declared(tmp_path: Path) -> None:
    project = tmp_path / "generic_tests"
    shutil.copytree(PROJECT_DIR / "tests" / "generic_tests_project", project)
    shutil.copytree(PROJECT_DIR / "macros", project / "macros")
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run([str(dbt), "build", "--project-dir", str(project), "--profiles-dir", str(project)],
                            cwd=project, capture_output=True, text=True, env=dict(os.environ, DO_NOT_TRACK="1"),
                            stdin=subprocess.DEVNULL, check=False)
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    manifest = json.loads((project / "target" / "manifest.json").read_text())["nodes"]
    tests = {r["unique_id"]: r for r in results if r["unique_id"].startswith("test.")}
    assert len(tests) == 19, result.stdout

    for unique_id, outcome in tests.items():
        expected = manifest[unique_id]["config"]["meta"]["expect_failures"]
        name = manifest[unique_id]["name"]
        assert outcome["failures"] == expected, f"{name}: {outcome['failures']} failing rows, expected {expected}"
        assert outcome["status"] == ("fail" if expected else "pass"), name

    # The on-run-end report names the broken rule and the failing cells.
    assert "fixture.txt:" in result.stdout
    assert "the total is 21, but its 2 parts (0 suppressed) add up to 20" in result.stdout
