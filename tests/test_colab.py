"""The notebooks on a hosted runtime, tested the way Colab runs them.

A fresh Python 3.13 environment with Colab's preinstalled TensorFlow 2.20, Keras 3.13 and
NumPy 2.1, no checkout: only one notebook file at a time and the course's wheel,
named by ``ECGCOURSE_SOURCE`` as a published address would be. The setup cell must install
the course without touching the runtime's TensorFlow, Keras and NumPy (they lie in the
tested range), and the notebook must then run to its closing checks in the same kernel,
with no restart.
"""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import papermill
import pytest

from ecgcourse.paths import DATA_DIR_ENV
from ecgcourse.tooling.exercises import student_copy
from ecgcourse.tooling.runner import course_notebooks, parameters_for, stub_errors_only

ROOT = Path(__file__).resolve().parent.parent
COLAB_PREINSTALLED = ["tensorflow==2.20.*", "keras==3.13.*", "numpy==2.1.*", "ipykernel"]
ENABLE = "ECGCOURSE_COLAB_TEST"


def python313() -> str | None:
    found = shutil.which("python3.13")
    if found and subprocess.run([found, "--version"], capture_output=True).returncode == 0:
        return found
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(pyenv.glob("3.13*/bin/python3.13"))
    return str(candidates[-1]) if candidates else None


@pytest.fixture(scope="module")
def colab_like(tmp_path_factory):
    if not os.environ.get(ENABLE):  # minutes of installs: a step of its own in .ci/run
        pytest.skip(f"set {ENABLE}=1 to run it (.ci/run does)")
    python = python313()
    if python is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Python 3.13 for the Colab-like test")
        pytest.skip("no Python 3.13 on this machine")
    root = tmp_path_factory.mktemp("colab")
    venv = root / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, *COLAB_PREINSTALLED], check=True)
    kernels = root / "jupyter" / "kernels" / "colab"
    kernels.mkdir(parents=True)
    argv = [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "Colab-like", "language": "python"}
    (kernels / "kernel.json").write_text(json.dumps(spec))
    return root, venv


def _versions(venv: Path) -> dict[str, str]:
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {p["name"].lower().replace("_", "-"): p["version"] for p in json.loads(out)}


@pytest.mark.parametrize("stem", [p.stem for p in course_notebooks()])
def test_each_handout_runs_alone_on_colabs_stack(colab_like, course_wheel, monkeypatch, stem):
    """Every notebook's handout (exercises unanswered), in the ci profile, alone in an empty
    folder with the course not installed, as Colab gives a notebook: its setup cell installs
    the course, TensorFlow, Keras and NumPy stay the runtime's, and every cell but the
    exercise stubs runs, the closing checks included."""
    root, venv = colab_like
    before = _versions(venv)
    assert before["tensorflow"].startswith("2.20") and before["keras"].startswith("3.13")
    assert before["numpy"].startswith("2.1.")
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "uninstall", "--quiet", "-y", "ecgcourse"], check=True)
    content = root / f"content-{stem}"  # Colab's working directory: this notebook only
    content.mkdir()
    source = ROOT / "notebooks" / f"{stem}.ipynb"
    handout = content / source.name
    nbformat.write(student_copy(nbformat.read(source, as_version=4)), handout)
    executed = content / "executed.ipynb"
    monkeypatch.setenv("ECGCOURSE_SOURCE", str(course_wheel))
    monkeypatch.setenv("JUPYTER_PATH", str(root / "jupyter"))
    for name in ("PYTHONPATH", DATA_DIR_ENV):
        monkeypatch.delenv(name, raising=False)
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(handout),
            str(executed),
            parameters=parameters_for(source, "ci", None),
            kernel_name="colab",
            cwd=str(content),
            progress_bar=False,
        )
    except papermill.PapermillExecutionError:
        pass  # an unanswered exercise raised; stub_errors_only says whether anything else did
    seconds = time.perf_counter() - start
    nb = nbformat.read(executed, as_version=4)
    (setup,) = [c for c in nb.cells if "hosted-setup" in c.metadata.get("tags", [])]
    install = setup.metadata.get("papermill", {}).get("duration") or 0.0
    after = _versions(venv)
    changed = {k: f"{before.get(k)} -> {v}" for k, v in after.items() if before.get(k) != v}
    print(f"Colab-like {stem}: {seconds:.0f} s, of which the setup cell {install:.0f} s")
    for name in ("tensorflow", "keras", "numpy"):
        assert after[name] == before[name], f"the runtime's own {name} was replaced: {changed}"
    assert "tensorflow-cpu" not in after, "a second TensorFlow installed over the runtime's"
    assert after["ecgcourse"], "the setup cell installed the course"
    assert stub_errors_only(executed) == "", f"{stem}: {stub_errors_only(executed)}"
    assert "all checks passed" in executed.read_text().lower()
