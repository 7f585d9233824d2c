"""The hosted-setup cell: identical in every notebook, at most six lines, a no-op where
ecgcourse is installed, and one ``%pip install`` of ``ECGCOURSE_SOURCE`` where it is not
(Colab, Kaggle). It installs no TensorFlow: a runtime keeps its own (tests/test_colab.py runs
it for real on a Colab-like runtime)."""

import importlib.util

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from ecgcourse.tooling.runner import course_notebooks

TAG = "hosted-setup"


def _hosted_cells() -> dict[str, str]:
    cells = {}
    for path in course_notebooks():
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if TAG in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: expected one {TAG!r} cell, found {len(tagged)}"
        assert nb.cells.index(tagged[0]) == 1, f"{path.name}: the {TAG!r} cell must be cell 1"
        cells[path.stem] = tagged[0].source
    return cells


def test_every_notebook_has_the_same_short_hosted_setup_cell():
    cells = _hosted_cells()
    assert len(set(cells.values())) == 1, "hosted-setup cells differ between notebooks"
    source = next(iter(cells.values()))
    assert len([line for line in source.splitlines() if line.strip()]) <= 6
    assert "uninstall" not in source and "tensorflow-cpu" not in source, "a runtime keeps its TF"


class _Shell:
    """Stands in for IPython: records the line magics the cell runs."""

    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line):
        self.magics.append((name, line))


def _run_cell(monkeypatch, installed: bool) -> tuple[_Shell, dict]:
    real = importlib.util.find_spec
    if not installed:
        monkeypatch.setattr(
            importlib.util,
            "find_spec",
            lambda name, *a: None if name == "ecgcourse" else real(name, *a),
        )
    source = TransformerManager().transform_cell(next(iter(_hosted_cells().values())))
    shell = _Shell()
    namespace = {"get_ipython": lambda: shell}
    exec(source, namespace)
    return shell, namespace


def test_cell_does_nothing_where_ecgcourse_is_installed(monkeypatch):
    shell, _ = _run_cell(monkeypatch, installed=True)
    assert shell.magics == []


@pytest.mark.parametrize("source", ["/content/ecgcourse-0.1.0-py3-none-any.whl", ""])
def test_cell_installs_the_configured_source_once(monkeypatch, source):
    monkeypatch.setenv("ECGCOURSE_SOURCE", source)
    shell, namespace = _run_cell(monkeypatch, installed=False)
    assert shell.magics == [("pip", "install --quiet {SOURCE}")], "one %pip, nothing else"
    assert namespace["SOURCE"] == source, "IPython expands {SOURCE} from the cell's namespace"


def test_cell_without_a_source_installs_the_stamped_address(monkeypatch):
    monkeypatch.delenv("ECGCOURSE_SOURCE", raising=False)
    _, namespace = _run_cell(monkeypatch, installed=False)
    assert namespace["SOURCE"] == "" or namespace["SOURCE"].startswith("git+https://github.com/")
