"""Exercises written once with their solutions; student copies get stubs instead.

In a source notebook an exercise's code cell is tagged ``solution`` and holds its answer
between two marker lines::

    ### BEGIN SOLUTION
    counts = ...
    ### END SOLUTION
    assert counts["V"] > 0   # a check the student's answer must pass too

:func:`student_copy` replaces what lies between the markers with a stub that raises
``NotImplementedError``, keeps the rest of the cell, tags the cell ``raises-exception`` (so
a headless run goes on past an unanswered exercise) and clears every output. The rest of a
notebook must run with every exercise unanswered: ``python -m ecgcourse run --student-copies``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

SOLUTION_TAG = "solution"
ALLOWED_ERROR_TAG = "raises-exception"
"""Tag of a stubbed exercise cell: Jupyter tools run on past its error."""
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = 'raise NotImplementedError("Exercise: replace this line with your solution")'


class ExerciseFormatError(ValueError):
    """A solution cell without its markers, or markers outside a solution cell."""


def _strip_solution(source: str, where: str) -> str:
    lines = source.splitlines()
    begins = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if not begins or len(begins) != len(ends):
        raise ExerciseFormatError(f"{where}: needs matching '{BEGIN}' / '{END}' lines")
    out: list[str] = []
    inside = False
    for line in lines:
        if line.strip() == BEGIN:
            if inside:
                raise ExerciseFormatError(f"{where}: nested '{BEGIN}'")
            inside = True
            indent = re.match(r"\s*", line).group(0)
            out.append(f"{indent}# YOUR CODE HERE")
            out.append(f"{indent}{STUB}")
        elif line.strip() == END:
            if not inside:
                raise ExerciseFormatError(f"{where}: '{END}' before '{BEGIN}'")
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def solution_cells(nb: nbformat.NotebookNode) -> list[int]:
    """Indices of the cells tagged ``solution``."""
    return [
        i for i, cell in enumerate(nb.cells)
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])
    ]  # fmt: skip


def student_copy(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """A copy of ``nb`` with every solution replaced by a stub and all outputs cleared."""
    copy = nbformat.from_dict(nb)
    tagged = set(solution_cells(copy))
    for i, cell in enumerate(copy.cells):
        where = f"{name}, cell {i}"
        if i in tagged:
            if cell.cell_type != "code":
                raise ExerciseFormatError(f"{where}: only code cells can hold a solution")
            cell.source = _strip_solution(cell.source, where)
            tags = cell.metadata.setdefault("tags", [])
            if ALLOWED_ERROR_TAG not in tags:
                tags.append(ALLOWED_ERROR_TAG)
        elif BEGIN in cell.source or END in cell.source:
            raise ExerciseFormatError(f"{where}: has solution markers but no '{SOLUTION_TAG}' tag")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return copy


def write_student_copies(notebooks: list[Path], out_dir: Path) -> list[Path]:
    """Write the student copy of each notebook into ``out_dir``; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        student = student_copy(nb, name=path.name)
        nbformat.validate(student)
        target = out_dir / path.name
        nbformat.write(student, target)
        written.append(target)
    return written
