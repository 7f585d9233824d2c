"""``python -m ecgcourse copy DIR``: the course, to work through, in a folder of your choice.

Writes ``DIR/notebooks/`` (the notebooks with their solutions), ``DIR/handouts/``
(every exercise answer replaced by a stub) and ``DIR/workshop/GUIDE.md``. Works the same
from a checkout and from an installed wheel; the course pack stays where it is installed,
and the notebooks find it through ``ecgcourse``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ecgcourse.atomic import replace_dir
from ecgcourse.exercises import write_student_copies
from ecgcourse.paths import WORKSHOP_DIR
from ecgcourse.runner import course_notebooks


def copy_course(dest: str | Path) -> list[Path]:
    """Copy notebooks, handouts and the guide into ``dest``; returns the folders.

    ``dest`` may exist, but must not already hold any of the three folders (nothing of
    yours is overwritten); each folder appears whole or not at all.
    """
    dest = Path(dest).expanduser().resolve()
    folders = [dest / "notebooks", dest / "handouts", dest / "workshop"]
    taken = [str(f) for f in folders if f.exists()]
    if taken:
        raise FileExistsError(f"not overwriting {', '.join(taken)}: choose an empty folder")
    notebooks = course_notebooks()
    with replace_dir(folders[0]) as staging:
        for nb in notebooks:
            shutil.copy2(nb, staging / nb.name)
    with replace_dir(folders[1]) as staging:
        write_student_copies(notebooks, staging)
    with replace_dir(folders[2]) as staging:
        shutil.copy2(WORKSHOP_DIR / "GUIDE.md", staging / "GUIDE.md")
    return folders
