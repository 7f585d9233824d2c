"""Every notebook that draws random numbers takes its seed as a parameter, seeded one way."""

import re

import nbformat
import pytest

from ecgcourse.runner import course_notebooks

NOTEBOOKS = course_notebooks()
RANDOM = re.compile(r"\bkeras\.|\brng\b|random_state|split_by_patient|np\.random")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_random_notebooks_seed_from_their_parameter(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"\bSEED\b|np\.random\.seed\(", code), (
        "seed through the `seed` parameter and seed_everything(seed), not a SEED constant"
    )
    if not RANDOM.search(code):
        return
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    assert re.search(r"^seed = 0\b", nb.cells[at].source, re.M), "declare `seed = 0` there"
    assert nb.cells[at + 1].source.startswith("seed_everything(seed)"), (
        "the cell after the parameters cell seeds everything with seed_everything(seed)"
    )
