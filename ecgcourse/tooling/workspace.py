"""``python -m ecgcourse copy DIR``: the course, to work through, in a folder of your choice.

Writes ``DIR/notebooks/`` (the notebooks with their solutions), ``DIR/handouts/``
(every exercise answer replaced by a stub) and ``DIR/workshop/GUIDE.md``, never over a
file of yours (a notebook you worked in stays as it is). Works the same
from a checkout and from an installed wheel; the course pack stays where it is installed,
and the notebooks find it through ``ecgcourse``.
"""

from __future__ import annotations

from pathlib import Path

from ecgcourse.atomic import files_in_the_way, refuse_if_in_the_way, write_files_once
from ecgcourse.paths import NOTEBOOK_DIR, WORKSHOP_DIR
from ecgcourse.tooling.budgets import GLOSSARY
from ecgcourse.tooling.exercises import student_copies
from ecgcourse.tooling.runner import course_notebooks


def copy_course(dest: str | Path) -> list[Path]:
    """Copy notebooks, handouts and the guide into ``dest``; returns the three folders.

    Nothing of yours is overwritten: a file is written only where there is none or where
    the course's own earlier copy is still unchanged; if any other file is in the way,
    :class:`ecgcourse.atomic.NotOursError` names it before anything is written. Each file
    appears whole or not at all, so a copy that was interrupted can be run again.
    """
    dest = Path(dest).expanduser().resolve()
    folders = [dest / "notebooks", dest / "handouts", dest / "workshop"]
    notebooks = course_notebooks()
    glossary = {GLOSSARY: (NOTEBOOK_DIR / GLOSSARY).read_bytes()}  # the notebooks link to it
    contents = {
        folders[0]: {nb.name: nb.read_bytes() for nb in notebooks} | glossary,
        folders[1]: student_copies(notebooks) | glossary,
        folders[2]: {"GUIDE.md": (WORKSHOP_DIR / "GUIDE.md").read_bytes()},
    }
    refuse_if_in_the_way([p for f, files in contents.items() for p in files_in_the_way(f, files)])
    for folder, files in contents.items():
        write_files_once(folder, files)
    return folders
