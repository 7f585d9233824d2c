"""A notebook on a hosted runtime, tested the way Colab runs it.

A fresh Python 3.13 environment with Colab's preinstalled TensorFlow 2.20 and Keras 3.13
(and the NumPy they bring), no checkout: only one notebook file and the course's wheel,
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

import papermill
import pytest

ROOT = Path(__file__).resolve().parent.parent
COLAB_PREINSTALLED = ["tensorflow==2.20.*", "keras==3.13.*", "numpy==2.1.*", "ipykernel"]
ENABLE = "ECGCOURSE_COLAB_TEST"
NOTEBOOK = "04_baseline.ipynb"  # imports Keras and TensorFlow through seed_everything


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


def test_setup_cell_installs_the_course_and_the_notebook_runs(
    colab_like, course_wheel, monkeypatch
):
    root, venv = colab_like
    before = _versions(venv)
    assert before["tensorflow"].startswith("2.20") and before["keras"].startswith("3.13")
    assert before["numpy"].startswith("2.1.")
    content = root / "content"  # Colab's working directory: the notebook and nothing else
    content.mkdir()
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, content / NOTEBOOK)
    monkeypatch.setenv("ECGCOURSE_SOURCE", str(course_wheel))
    monkeypatch.setenv("JUPYTER_PATH", str(root / "jupyter"))
    monkeypatch.delenv("PYTHONPATH", raising=False)
    start = time.perf_counter()
    papermill.execute_notebook(
        str(content / NOTEBOOK),
        str(content / "executed.ipynb"),
        kernel_name="colab",
        cwd=str(content),
        progress_bar=False,
    )
    seconds = time.perf_counter() - start
    after = _versions(venv)
    changed = {k: f"{before.get(k)} -> {v}" for k, v in after.items() if before.get(k) != v}
    print(f"Colab-like run: {seconds:.0f} s, install included; changed: {changed}")
    for name in ("tensorflow", "keras", "numpy"):
        assert after[name] == before[name], f"the runtime's own {name} was replaced: {changed}"
    assert "tensorflow-cpu" not in after, "a second TensorFlow installed over the runtime's"
    assert after["ecgcourse"]
    executed = (content / "executed.ipynb").read_text()
    assert "All checks passed." in executed
