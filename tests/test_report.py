"""The course report page: per notebook its title, time, numbers and key figures."""

import base64

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ecgcourse.tooling.report import KEY_FIGURE_TAG, key_figures, write_index
from ecgcourse.tooling.runner import course_notebooks

# A 1x1 PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
    )
).decode()


def _executed(path, tagged=True):
    nb = new_notebook()
    figure = new_code_cell("plt.show()", outputs=[new_output("display_data", {"image/png": PNG})])
    if tagged:
        figure.metadata["tags"] = [KEY_FIGURE_TAG]
    other = new_code_cell("plt.show()", outputs=[new_output("display_data", {"image/png": "QQ=="})])
    nb.cells = [new_markdown_cell("# 4. Baseline first\n\nYou will ..."), figure, other]
    nbformat.write(nb, path)


def test_key_figures_are_the_images_of_tagged_cells_only(tmp_path):
    _executed(tmp_path / "04_baseline.ipynb")
    assert key_figures(tmp_path / "04_baseline.ipynb") == [PNG]
    _executed(tmp_path / "05_cnn.ipynb", tagged=False)
    assert key_figures(tmp_path / "05_cnn.ipynb") == []
    assert key_figures(tmp_path / "missing.ipynb") == []


def test_report_has_title_time_numbers_figures_and_errors(tmp_path):
    _executed(tmp_path / "04_baseline.ipynb")
    runs = {
        "04_baseline": {
            "seconds": 10.25,
            "status": "ok",
            "metrics": {"baseline_f1_V": 0.8984, "tree_f1_S": 0.2381},
            "checks": {
                "wide": {"value": 0.9, "op": ">", "limit": 0.5, "margin": 0.4, "passed": True},
                "close": {"value": 0.52, "op": ">", "limit": 0.5, "margin": 0.02, "passed": True},
            },
        },
        "05_cnn": {"seconds": 3.0, "status": "failed", "metrics": {}, "error": "Boom<x>"},
    }
    page = write_index(tmp_path, runs, "ci").read_text()
    assert "4. Baseline first" in page and "10.2 s" in page
    headline, more = page.index("baseline_f1_V</code></td><td>0.8984"), page.index("tree_f1_S")
    assert headline < page.index("<summary>more numbers (1)") < more
    assert f"data:image/png;base64,{PNG}" in page and "QQ==" not in page
    assert "Boom&lt;x&gt;" in page and "1 of 2 notebooks ran" in page
    assert "05_cnn.html" in page and "CPU cores" in page
    assert "closing checks (2), closest to its limit first" in page
    assert page.index("<code>close</code>") < page.index("<code>wide</code>")


def test_every_course_notebook_marks_a_key_figure():
    for path in course_notebooks():
        cells = nbformat.read(path, as_version=4).cells
        tagged = [c for c in cells if KEY_FIGURE_TAG in c.metadata.get("tags", [])]
        assert tagged, f"{path.name}: tag the cell of its key figure {KEY_FIGURE_TAG!r}"
        assert all(c.cell_type == "code" for c in tagged), path.name
