"""``python -m ecgcourse stamp https://github.com/OWNER/REPO``: publish the course's address.

The address lives in one place, ``[project.urls] Repository`` in ``pyproject.toml``. Once the
repository is public, this command writes it there, into the hosted-setup cell of every
notebook (``SOURCE``: what ``pip`` installs on Colab), and as Colab, Kaggle and Binder
launch badges into the README between its badge markers.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from ecgcourse.atomic import write_between_markers, write_text_atomic
from ecgcourse.paths import COURSE_ROOT

HOSTED_TAG = "hosted-setup"
START, END = "<!-- badges:start -->", "<!-- badges:end -->"
GITHUB = re.compile(r"^https://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?/?$")
SOURCE_LINE = re.compile(r'^SOURCE = os\.environ\.get\("ECGCOURSE_SOURCE", ".*?"\).*$', re.M)
"""The setup cell's SOURCE line, its comment included (the stamped address says it all)."""


def badges(owner: str, repo: str, first_notebook: str) -> str:
    """Markdown launch badges for Colab and Kaggle (the first notebook, opened from GitHub)
    and Binder (the repository)."""
    path = f"{owner}/{repo}/blob/main/notebooks/{first_notebook}"
    binder = f"https://mybinder.org/v2/gh/{owner}/{repo}/HEAD"
    return (
        f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{path})\n"
        f"[![Open in Kaggle](https://kaggle.com/static/images/open-in-kaggle.svg)]"
        f"(https://kaggle.com/kernels/welcome?src=https://github.com/{path})\n"
        f"[![Launch Binder](https://mybinder.org/badge_logo.svg)]({binder})"
    )


def stamp(url: str, root: Path = COURSE_ROOT) -> list[Path]:
    """Write ``url`` into pyproject.toml, every notebook's setup cell and the README badges.

    Only a GitHub address is accepted (Colab opens notebooks from GitHub); returns the
    files written.
    """
    match = GITHUB.match(url)
    if not match:
        raise ValueError(f"expected https://github.com/OWNER/REPO, got {url!r}")
    owner, repo = match["owner"], match["repo"]
    url = f"https://github.com/{owner}/{repo}"
    written = []
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text()
    line = f'Repository = "{url}"'
    if re.search(r"^Repository = .*$", text, re.M):
        text = re.sub(r"^Repository = .*$", line, text, flags=re.M)
    elif "[project.urls]" in text:
        text = text.replace("[project.urls]", f"[project.urls]\n{line}", 1)
    else:
        raise ValueError(f"{pyproject} has no [project.urls] table")
    written.append(write_text_atomic(pyproject, text))
    notebooks = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if HOSTED_TAG in c.metadata.get("tags", [])]
        if len(cells) != 1 or not SOURCE_LINE.search(cells[0].source):
            raise ValueError(f"{path.name}: no {HOSTED_TAG!r} cell with a SOURCE = ... line")
        line = f'SOURCE = os.environ.get("ECGCOURSE_SOURCE", "git+{url}")'
        cells[0].source = SOURCE_LINE.sub(line, cells[0].source)
        written.append(write_text_atomic(path, nbformat.writes(nb) + "\n"))
    block = badges(owner, repo, notebooks[0].name)
    written.append(write_between_markers(root / "README.md", START, END, block))
    return written
