"""Project hygiene: the README's commands, CI, lint."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _readme_command(label: str) -> str:
    match = re.search(rf"<!-- {label} -->\s*```(?:bash|sh)?\n(.+?)\n```", README, re.S)
    assert match, f"README.md needs a code block after <!-- {label} -->"
    return match.group(1).strip()


def test_ci_runs_both_readme_commands_tests_first():
    ci = (ROOT / ".ci" / "run").read_text()
    tests, course = _readme_command("test-command"), _readme_command("course-command")
    assert tests in ci and course in ci, ".ci/run must run the README's two commands as written"
    assert ci.index(tests) < ci.index(course), "tests first: they are quicker to fail"


def test_readme_course_command_runs_the_course():
    assert "python -m ecgcourse run" in _readme_command("course-command")


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff(args):
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is part of the test extra"
    result = subprocess.run([ruff, *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_never_reads_shared():
    paths = list((ROOT / "ecgcourse").glob("*.py")) + list((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        assert "../shared" not in path.read_text(), path
