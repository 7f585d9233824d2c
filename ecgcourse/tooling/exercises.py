"""Exercises written once with their solutions; handouts get stubs instead.

In a source notebook an exercise's code cell is tagged ``solution`` and holds its answer
between two marker lines::

    ### BEGIN SOLUTION
    counts = ...
    ### END SOLUTION
    assert counts["V"] > 0   # a check the student's answer must pass too

:func:`student_copy` replaces what lies between the markers with a stub that raises
``NotImplementedError``, keeps the rest of the cell, tags the cell ``raises-exception`` (so
a headless run goes on past an unanswered exercise) and clears every output. The rest of a
notebook must run with every exercise unanswered: ``python -m ecgcourse run --handouts``.

Each exercise's check must also reject wrong answers: :func:`probed_copy` adds a cell after
every exercise that runs the check again with the answer replaced by ``None`` and by wrong
values of the same kind (:func:`wrong_answers`), and records whether it raised
(``python -m ecgcourse run --probe-exercises``; the tests run the ci profile that way).
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
from pathlib import Path

import nbformat

from ecgcourse.atomic import NotOursError, write_files_once, write_text_atomic

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


def student_copies(notebooks: list[Path]) -> dict[str, bytes]:
    """``{file name: the student copy as nbformat writes it}`` for each notebook."""
    files = {}
    for path in notebooks:
        student = student_copy(nbformat.read(path, as_version=4), name=path.name)
        nbformat.validate(student)
        files[path.name] = (nbformat.writes(student) + "\n").encode()
    return files


def write_student_copies(notebooks: list[Path], out_dir: Path) -> list[Path]:
    """Write the student copy of each notebook into ``out_dir``; returns the paths.

    Never over a notebook the course did not write there, or one changed since (a
    student's work, a solution notebook): :class:`ecgcourse.atomic.NotOursError` names
    them and nothing is written (:func:`ecgcourse.atomic.write_files_once`).
    """
    out_dir = Path(out_dir)
    if out_dir.resolve() in {Path(p).resolve().parent for p in notebooks}:
        raise NotOursError(
            f"not writing handouts into {out_dir}: it holds the notebooks they are made from"
        )
    files = student_copies(notebooks)
    write_files_once(out_dir, files)
    return [out_dir / name for name in files]


# --- Probes: does an exercise's check reject wrong answers? -----------------------------

PROBES_FILE_ENV = "ECGCOURSE_PROBES_FILE"
"""Set by the runner (``probe_exercises=True``) to the JSON file where probe results go."""
PROBE_TAG = "exercise-probe"


def _target_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [n for element in target.elts for n in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, ast.Subscript | ast.Attribute):  # x[i] = ..., x.a = ...: x changes
        return _target_names(target.value)
    return []


def _bound_names(node: ast.AST) -> list[str]:
    """Names a top-level statement binds: assignment targets (the object, for ``x[i] = ``),
    functions and classes. Loop variables are the loop's business, not the answer."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [n for target in node.targets for n in _target_names(target)]
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return _target_names(node.target)
    return []


def split_exercise(source: str) -> tuple[list[str], str]:
    """``(answer names, check source)`` of a solution cell.

    The answer names are what the top-level statements overlapping the solution block bind
    (for an answer inside a ``def``, the function); the check is every top-level statement
    after the last ``### END SOLUTION`` line.
    """
    lines = source.splitlines()
    begin = next(i for i, line in enumerate(lines) if line.strip() == BEGIN) + 1
    end = max(i for i, line in enumerate(lines) if line.strip() == END) + 1
    tree = ast.parse(source)
    names: list[str] = []
    check_from = None
    for node in tree.body:
        last = node.end_lineno or node.lineno
        if node.lineno <= end and last >= begin:
            names += [n for n in _bound_names(node) if n not in names]
        elif node.lineno > end and check_from is None:
            check_from = node.lineno
    check = "" if check_from is None else "\n".join(lines[check_from - 1 :])
    return names, check


def wrong_answers(value: object) -> list[object]:
    """Answers a check must reject in place of ``value``: ``None``, then values of the same
    kind that are wrong (a number moved by at least 1 up and down, an empty container, zeros,
    a function that returns ``None``)."""
    import numpy as np

    wrong: list[object] = [None]
    if isinstance(value, bool | np.bool_):
        wrong.append(not value)
    elif isinstance(value, int | float | np.integer | np.floating):
        step = max(1.0, abs(float(value)))
        wrong += [value + step, value - step]
    elif isinstance(value, np.ndarray):
        if value.dtype == bool:
            wrong.append(~value)
        elif np.issubdtype(value.dtype, np.number):
            wrong.append(np.zeros_like(value))
        wrong.append(value[:0])
    elif isinstance(value, str):
        wrong.append("")
    elif isinstance(value, dict | list | tuple | set):
        wrong.append(type(value)())
    elif callable(value) and not isinstance(value, type):
        wrong.append(lambda *args, **kwargs: None)
    return wrong


def probe(namespace: dict, names: list[str], check: str, exercise: str) -> dict:
    """Run ``check`` with every answer name bound to each wrong answer in turn; record
    whether it raised. ``namespace`` (the notebook's globals) is restored afterwards, and
    nothing the check records reaches the notebook's metrics or checks."""
    from ecgcourse.checks import CHECKS_FILE_ENV
    from ecgcourse.results import METRICS_FILE_ENV

    missing = [n for n in names if n not in namespace]
    if missing:
        raise NameError(f"{exercise}: the solution did not define {missing}")
    answers = {n: namespace[n] for n in names}
    options = {n: wrong_answers(v) for n, v in answers.items()}
    saved = dict(namespace)
    figures = _figures()
    quiet = {k: os.environ.pop(k, None) for k in (CHECKS_FILE_ENV, METRICS_FILE_ENV)}
    results = []
    try:
        for k in range(max(len(o) for o in options.values())):
            wrong = {n: o[min(k, len(o) - 1)] for n, o in options.items()}
            namespace.update(wrong)
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(check, f"<{exercise} check>", "exec"), namespace)
                error = ""
            except Exception as exc:  # any failure of the check rejects the answer
                error = type(exc).__name__
            finally:
                for key in set(namespace) - set(saved):
                    del namespace[key]
                namespace.update(saved)
            shown = {n: _short(v) for n, v in wrong.items()}
            results.append({"answers": shown, "rejected": bool(error), "error": error})
    finally:
        for key, value in quiet.items():
            if value is not None:
                os.environ[key] = value
        _close_figures_since(figures)
    entry = {"names": names, "probes": results}
    target = os.environ.get(PROBES_FILE_ENV)
    if target:
        path = Path(target)
        found = json.loads(path.read_text()) if path.is_file() else {}
        found[exercise] = entry
        write_text_atomic(path, json.dumps(found, indent=1))
    return entry


def _figures() -> set[int]:
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    return set(plt.get_fignums()) if plt else set()


def _close_figures_since(before: set[int]) -> None:
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    for number in set(plt.get_fignums()) - before if plt else ():
        plt.close(number)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def probe_cell_source(solution_source: str, exercise: str) -> str:
    """The code of the cell the runner inserts after a solution cell to probe its check."""
    names, check = split_exercise(solution_source)
    return (
        "from ecgcourse.tooling.exercises import probe as _probe\n\n"
        f"_probe(globals(), {names!r}, {check!r}, {exercise!r})"
    )


def probed_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with a probe cell (tagged :data:`PROBE_TAG`) after every exercise."""
    copy = nbformat.from_dict(nb)
    cells = []
    number = 0
    for i, cell in enumerate(copy.cells):
        cells.append(cell)
        if i in set(solution_cells(copy)):
            number += 1
            source = probe_cell_source(cell.source, f"exercise {number}")
            cells.append(nbformat.v4.new_code_cell(source, metadata={"tags": [PROBE_TAG]}))
    copy.cells = cells
    return copy
