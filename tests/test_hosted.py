"""The hosted-setup cell: identical in every notebook, a no-op when ecgcourse is importable,
an install from the checkout inside one, and a clear message anywhere else."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from ecgcourse.tooling.runner import course_notebooks

TAG = "hosted-setup"
REPO_ROOT = Path(__file__).resolve().parent.parent


def _hosted_cells() -> dict[str, str]:
    cells = {}
    for path in course_notebooks():
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if TAG in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: expected one {TAG!r} cell, found {len(tagged)}"
        assert nb.cells.index(tagged[0]) == 1, f"{path.name}: the {TAG!r} cell must be cell 1"
        cells[path.stem] = tagged[0].source
    return cells


def test_every_notebook_has_the_same_hosted_setup_cell():
    cells = _hosted_cells()
    assert len(set(cells.values())) == 1, "hosted-setup cells differ between notebooks"


@pytest.fixture
def hosted_source():
    return next(iter(_hosted_cells().values()))


@pytest.fixture
def not_installed(monkeypatch):
    """Pretend ecgcourse is not importable; record pip calls instead of running them."""
    calls = []
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "ecgcourse" else real_find_spec(name, *a),
    )
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd))
    monkeypatch.setattr(sys, "path", list(sys.path))
    for module in ("numpy", "keras", "tensorflow"):  # a fresh runtime has imported none
        monkeypatch.delitem(sys.modules, module, raising=False)
    return calls


def test_cell_does_nothing_when_ecgcourse_is_importable(hosted_source, monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd))
    exec(hosted_source, {})
    assert calls == []


def test_cell_installs_from_the_checkout_it_runs_in(hosted_source, not_installed, monkeypatch):
    monkeypatch.chdir(REPO_ROOT / "notebooks")
    exec(hosted_source, {})
    assert not_installed == [
        [sys.executable, "-m", "pip", "install", "--quiet", "-e", str(REPO_ROOT.resolve())]
    ]
    assert sys.path[0] == str(REPO_ROOT.resolve())


def test_cell_outside_a_checkout_says_how_to_install(
    hosted_source, not_installed, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModuleNotFoundError, match=r"pip install -e <checkout>.*Hosted notebooks"):
        exec(hosted_source, {})
    assert not_installed == []


@pytest.mark.parametrize("version", [(3, 10, 0), (3, 14, 0)])
def test_cell_on_an_unsupported_python_names_the_range(
    hosted_source, not_installed, monkeypatch, version
):
    monkeypatch.chdir(REPO_ROOT / "notebooks")
    monkeypatch.setattr(sys, "version_info", (*version, "final", 0))
    with pytest.raises(ModuleNotFoundError, match=r"needs Python 3\.11 to 3\.13"):
        exec(hosted_source, {})
    assert not_installed == []


def test_cell_installs_on_python_3_13(hosted_source, not_installed, monkeypatch):
    monkeypatch.chdir(REPO_ROOT / "notebooks")
    monkeypatch.setattr(sys, "version_info", (3, 13, 0, "final", 0))
    exec(hosted_source, {})
    assert len(not_installed) == 1


def test_cell_installs_from_the_configured_source_on_a_hosted_runtime(
    hosted_source, not_installed, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # Colab: only the notebook, no checkout
    monkeypatch.setenv("ECGCOURSE_SOURCE", "/content/ecgcourse.whl")
    exec(hosted_source, {})
    assert not_installed[-1] == [
        sys.executable, "-m", "pip", "install", "--quiet", "/content/ecgcourse.whl"
    ]  # fmt: skip


def _runtime_with(monkeypatch, versions):
    import importlib.metadata

    def version(name):
        if name not in versions:
            raise importlib.metadata.PackageNotFoundError(name)
        return versions[name]

    monkeypatch.setattr(importlib.metadata, "version", version)


def test_cell_replaces_a_runtimes_own_tensorflow_first(
    hosted_source, not_installed, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ECGCOURSE_SOURCE", "ecgcourse")
    monkeypatch.setattr(sys, "platform", "linux")
    linux = os.uname_result(("Linux", "colab", "6.1", "#1", "x86_64"))
    monkeypatch.setattr(os, "uname", lambda: linux)
    _runtime_with(monkeypatch, {"tensorflow": "2.20.0"})
    exec(hosted_source, {})
    uninstall, install = not_installed
    assert uninstall[3:] == ["uninstall", "--quiet", "-y", "tensorflow"]
    assert install[-1] == "ecgcourse"


def test_cell_asks_for_a_restart_when_it_replaced_a_loaded_module(
    hosted_source, not_installed, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ECGCOURSE_SOURCE", "ecgcourse")
    runtime_numpy = type(sys)("numpy")
    runtime_numpy.__version__ = "2.0.2"  # imported by the runtime before the first cell
    monkeypatch.setitem(sys.modules, "numpy", runtime_numpy)
    _runtime_with(monkeypatch, {"numpy": "2.4.6"})  # what pip left on disk
    with pytest.raises(RuntimeError, match=r"over numpy 2\.0\.2.*Restart session.*not repeat"):
        exec(hosted_source, {})
    assert not_installed, "the install ran before the restart request"


def test_cell_needs_no_restart_when_the_loaded_versions_stay(
    hosted_source, not_installed, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ECGCOURSE_SOURCE", "ecgcourse")
    loaded_tf = type(sys)("tensorflow")
    loaded_tf.__version__ = "2.21.0"
    monkeypatch.setitem(sys.modules, "tensorflow", loaded_tf)
    _runtime_with(monkeypatch, {"tensorflow-cpu": "2.21.0"})
    exec(hosted_source, {})  # no RuntimeError: nothing this kernel imported has moved
