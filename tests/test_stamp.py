"""``python -m ecgcourse stamp URL``: one address, written where hosted runtimes read it."""

import shutil
from pathlib import Path

import nbformat
import pytest

from ecgcourse.tooling.stamp import START, stamp

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copy(ROOT / "README.md", tmp_path)
    shutil.copytree(
        ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns("models")
    )
    return tmp_path


def test_stamp_writes_the_address_everywhere_once(project):
    stamp("https://github.com/someone/ecgcourse.git", project)
    stamp("https://github.com/someone/ecgcourse", project)  # again: replaces, never adds
    text = (project / "pyproject.toml").read_text()
    assert text.count('Repository = "https://github.com/someone/ecgcourse"') == 1
    nb = nbformat.read(project / "notebooks" / "07_saturation.ipynb", as_version=4)
    expected = (
        'SOURCE = os.environ.get("ECGCOURSE_SOURCE", "git+https://github.com/someone/ecgcourse")'
    )
    assert expected in nb.cells[1].source
    assert max(len(line) for line in nb.cells[1].source.splitlines()) <= 100, "ruff's limit"
    readme = (project / "README.md").read_text()
    assert readme.count("colab.research.google.com/github/someone/ecgcourse/blob/main/") == 1
    assert "mybinder.org/v2/gh/someone/ecgcourse/HEAD" in readme
    assert (
        "kaggle.com/kernels/welcome?src=https://github.com/someone/ecgcourse/blob/main/" in readme
    )


def test_stamp_refuses_what_colab_cannot_open(project):
    with pytest.raises(ValueError, match="expected https://github.com/OWNER/REPO"):
        stamp("https://gitlab.com/someone/ecgcourse", project)


def test_unstamped_course_says_so():
    assert "[project.urls]" in (ROOT / "pyproject.toml").read_text()
    assert START in (ROOT / "README.md").read_text()
