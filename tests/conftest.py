import subprocess
import sys
from pathlib import Path

import pytest

from ecgcourse.paths import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _pack_only(monkeypatch):
    """Tests read the committed course pack unless they set a data directory themselves."""
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)


@pytest.fixture(scope="session")
def course_wheel(tmp_path_factory):
    """The course built as a wheel, as a package index would serve it."""
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)]
    subprocess.run(cmd, check=True)
    (found,) = out.glob("ecgcourse-*.whl")
    return found
