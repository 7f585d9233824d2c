"""The built wheel is the whole course: installed away from any checkout, it runs."""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ECGCOURSE_DATA_DIR")}
# the test venv borrows this environment's packages through a .pth file; their data files
# (nbconvert's templates) stay under this prefix
CLEAN_ENV["JUPYTER_PATH"] = os.path.join(sys.prefix, "share", "jupyter")


@pytest.fixture
def wheel(course_wheel):
    return course_wheel


def test_wheel_carries_the_pack_the_notebooks_and_the_guide(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    course = "ecgcourse/_course/"
    assert f"{course}data/pack/MANIFEST.json" in names
    assert f"{course}data/pack/ATTRIBUTION.md" in names
    assert f"{course}workshop/GUIDE.md" in names
    notebooks = {p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert {n.rsplit("/", 1)[1] for n in names if n.startswith(f"{course}notebooks/")} >= notebooks
    pack_files = {
        str(p.relative_to(ROOT)) for p in (ROOT / "data" / "pack").rglob("*") if p.is_file()
    }
    assert {f"{course}{p}" for p in pack_files} <= names, "every pack file travels"
    assert not any("/models/" in n or "checkpoints" in n for n in names)


def test_installed_wheel_runs_outside_a_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=CLEAN_ENV)
    python = venv / "bin" / "python"
    # the pinned dependencies come from this environment; ecgcourse only from the wheel
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    pip = [python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)]
    subprocess.run(pip, check=True, env=CLEAN_ENV)
    # after the install, so that pip does not take this environment's ecgcourse for it
    (site / "course-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    work = tmp_path / "work"
    work.mkdir()

    def course(*args):
        done = subprocess.run(
            [python, "-m", "ecgcourse", *args],
            cwd=work,
            capture_output=True,
            text=True,
            env=CLEAN_ENV,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return done.stdout

    where = subprocess.run(
        [python, "-c", "import ecgcourse.paths as p; print(p.IN_CHECKOUT, p.PACK_DIR)"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
        env=CLEAN_ENV,
    ).stdout
    assert where.startswith("False") and str(site) in where, where
    report = course("doctor")
    assert "PROBLEM" not in report and "course pack" in report
    course("run", "01", "--profile", "ci")
    runs = json.loads((work / "build" / "ci" / "metrics.json").read_text())
    assert runs["01_loading"]["status"] == "ok", runs["01_loading"].get("error")
    assert (work / "build" / "ci" / "01_loading.html").is_file()
    assert not (site / "ecgcourse" / "build").exists(), "nothing is written into site-packages"
    course("copy", "mine")
    assert (work / "mine" / "notebooks" / "01_loading.ipynb").is_file()
    assert (work / "mine" / "handouts" / "01_loading.ipynb").is_file()
    assert (work / "mine" / "workshop" / "GUIDE.md").is_file()
