"""Lesson mutants: every closing check must be able to fail.

A mutant undoes what a lesson says matters (the anti-aliasing of a resampler, the class
weights of a baseline, the patient-wise split, ...) by a few text edits of the notebook's
code, kept here, outside the notebooks (:data:`ecgcourse.tooling.lesson_mutants.MUTANTS`).
``python -m ecgcourse mutants [NB ...]`` runs each notebook, and each of its mutants, in
the ``ci`` profile with :data:`ecgcourse.checks.KEEP_GOING_ENV` set (a failing check is
recorded instead of raised, so every check is evaluated), then writes, per notebook, which
checks each mutant made fail and which checks no mutant made fail:

- ``benchmarks/mutants.json``, committed: keyed by the sha256 of each notebook's code (its
  hosted-setup cell apart) and of its mutants, so that a test can tell when a notebook
  changed after its mutants last ran;
- ``build/mutants/mutants.md``, the same as a table to read.

A check that no honest mutant can fail proves nothing: it is rewritten to test the lesson,
or removed (a fact about the data or the code belongs in ``tests/``). The checks that no
mutant fails yet are listed in :data:`ecgcourse.tooling.lesson_mutants.NOT_YET_FAILED`;
that list only shrinks.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ecgcourse.atomic import write_text_atomic
from ecgcourse.checks import KEEP_GOING_ENV
from ecgcourse.paths import BUILD_DIR, COURSE_ROOT
from ecgcourse.tooling.budgets import HOSTED_SETUP_TAG

UPSTREAM: dict[str, tuple[str, str]] = {"10_capstone": ("08_calibration", "models")}
"""A notebook that reads what another saved in its folder: (that notebook, the folder); its
mutant runs get a copy of it from that notebook's clean run."""
REPORT = COURSE_ROOT / "benchmarks" / "mutants.json"
"""The committed report (``python -m ecgcourse mutants`` writes it)."""
PROFILE = "ci"


class MutantError(ValueError):
    """A mutant's edit no longer applies to its notebook: the notebook changed; edit it."""


@dataclass(frozen=True)
class Mutant:
    """One lesson ingredient undone: ``edits`` are ``(old, new)`` replacements in the
    notebook's code cells, each ``old`` found exactly once."""

    notebook: str
    name: str
    undoes: str
    edits: tuple[tuple[str, str], ...]


def mutate(nb: nbformat.NotebookNode, mutant: Mutant) -> nbformat.NotebookNode:
    """A copy of ``nb`` with the mutant's edits applied (:class:`MutantError` if one does not
    apply exactly once)."""
    copy = nbformat.from_dict(nb)
    for old, new in mutant.edits:
        where = [c for c in copy.cells if c.cell_type == "code" and old in c.source]
        found = sum(c.source.count(old) for c in where)
        if found != 1:
            raise MutantError(
                f"mutant {mutant.notebook}/{mutant.name}: {old!r} is found {found} times in "
                "the notebook's code, not once: edit the mutant (ecgcourse/tooling/"
                "lesson_mutants.py)"
            )
        where[0].source = where[0].source.replace(old, new)
    return copy


ASSERT_HOOK = "_ecgcourse_assert"
_HOOK_CELL = f"""\
def {ASSERT_HOOK}(passed, label, record):  # added by ecgcourse mutants: asserts do not stop
    if record:
        from ecgcourse.checks import _record

        _record(label, {{"value": float(bool(passed)), "op": "assert", "passed": bool(passed)}})
"""


class _SoftAsserts(ast.NodeTransformer):
    """``assert test, msg`` -> ``_ecgcourse_assert(test, "assert_line_N", record)``."""

    def __init__(self, record: bool) -> None:
        self.record = record

    def visit_Assert(self, node: ast.Assert) -> ast.AST:
        call = ast.Call(
            func=ast.Name(ASSERT_HOOK, ast.Load()),
            args=[node.test, ast.Constant(f"assert_line_{node.lineno}"), ast.Constant(self.record)],
            keywords=[],
        )
        return ast.copy_location(ast.Expr(call), node)


def keep_going(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` in which no ``assert`` stops the run: each becomes a call that, in
    the last cell (the closing checks), records whether it held as a check named
    ``assert_line_N``. With :data:`ecgcourse.checks.KEEP_GOING_ENV` set, failing
    ``check()`` calls do not stop it either, so every closing check is evaluated."""
    copy = nbformat.from_dict(nb)
    last = len(copy.cells) - 1
    for i, cell in enumerate(copy.cells):
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # an IPython magic: left as it is
            continue
        tree = ast.fix_missing_locations(_SoftAsserts(record=i == last).visit(tree))
        cell.source = ast.unparse(tree)
    copy.cells.insert(0, nbformat.v4.new_code_cell(_HOOK_CELL))
    return copy


def mutants_of(stem: str) -> list[Mutant]:
    """The mutants of one notebook."""
    from ecgcourse.tooling.lesson_mutants import MUTANTS

    return [m for m in MUTANTS if m.notebook == stem]


def lesson_sha256(notebook: Path | str) -> str:
    """sha256 of what a mutants run depends on: the notebook's code cells, the hosted-setup
    cell apart (identical in every notebook, and a no-op where the course is installed)."""
    nb = nbformat.read(notebook, as_version=4)
    code = [
        c.source for c in nb.cells
        if c.cell_type == "code" and HOSTED_SETUP_TAG not in c.metadata.get("tags", [])
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(code).encode()).hexdigest()


def fingerprint(mutants: list[Mutant]) -> str:
    """sha256 of the mutants' definitions: a changed mutant needs a new run too."""
    text = json.dumps([[m.name, m.undoes, [list(e) for e in m.edits]] for m in mutants])
    return hashlib.sha256(text.encode()).hexdigest()


def _checks_of(run) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """(names of the checks that ran, names of those that failed) in one run."""
    ran = sorted(run.checks)
    return ran, sorted(name for name, c in run.checks.items() if not c.get("passed", True))


def run_mutants(notebook: Path, build_dir: Path = BUILD_DIR) -> dict:
    """Run ``notebook`` and its mutants in the ``ci`` profile; returns its report entry."""
    from ecgcourse.tooling.runner import KERNEL_LOG, run_notebook, stderr_to

    mutants = mutants_of(notebook.stem)
    source = nbformat.read(notebook, as_version=4)
    out = build_dir / "mutants" / notebook.stem
    out.mkdir(parents=True, exist_ok=True)
    if notebook.stem in UPSTREAM:
        upstream, folder = UPSTREAM[notebook.stem]
        made = build_dir / "mutants" / upstream / folder
        if not made.is_dir():
            raise FileNotFoundError(
                f"{notebook.stem} reads {folder}/ that {upstream} saves: run "
                f"`python -m ecgcourse mutants {upstream[:2]}` first"
            )
        for target in [out] + [out / m.name for m in mutants]:
            shutil.copytree(made, target / folder, dirs_exist_ok=True)
    saved = os.environ.get(KEEP_GOING_ENV)
    os.environ[KEEP_GOING_ENV] = "1"
    try:
        with tempfile.TemporaryDirectory() as tmp, stderr_to(out / KERNEL_LOG):
            path = Path(tmp) / notebook.name  # the stem picks the profile's parameters
            nbformat.write(keep_going(source), path)
            clean = run_notebook(path, out, PROFILE, None)
        checks, failed_clean = _checks_of(clean)
        entry: dict = {
            "lesson_sha256": lesson_sha256(notebook),
            "mutants_sha256": fingerprint(mutants),
            "checks": checks,
            "clean_run": {"status": clean.status, "failed": failed_clean},
            "mutants": {},
        }
        for mutant in mutants:
            print(f"[mutants] {notebook.stem} / {mutant.name}", flush=True)
            mutant_out = out / mutant.name
            mutant_out.mkdir(exist_ok=True)
            with tempfile.TemporaryDirectory() as tmp, stderr_to(out / KERNEL_LOG):
                path = Path(tmp) / notebook.name  # the stem picks the profile's parameters
                nbformat.write(keep_going(mutate(source, mutant)), path)
                run = run_notebook(path, mutant_out, PROFILE, None)
            ran, failed = _checks_of(run)
            entry["mutants"][mutant.name] = {
                "undoes": mutant.undoes,
                "failed": failed,
                "not_run": sorted(set(checks) - set(ran)),
                "error": run.error.splitlines()[0][:300] if run.error else "",
            }
    finally:
        if saved is None:
            os.environ.pop(KEEP_GOING_ENV, None)
        else:
            os.environ[KEEP_GOING_ENV] = saved
    killed = {name for m in entry["mutants"].values() for name in m["failed"]}
    entry["never_failed"] = sorted(set(checks) - killed)
    return entry


def read_report(path: Path = REPORT) -> dict:
    """The committed report, ``{}`` if there is none yet."""
    return json.loads(path.read_text()) if path.is_file() else {}


def write_report(entries: dict, path: Path = REPORT, build_dir: Path = BUILD_DIR) -> Path:
    """Merge ``entries`` into the committed report and write the readable table beside the
    build; returns the report's path."""
    report = read_report(path) | entries
    write_text_atomic(path, json.dumps(report, indent=1, sort_keys=True) + "\n")
    write_text_atomic(build_dir / "mutants" / "mutants.md", report_markdown(report))
    return path


def report_markdown(report: dict) -> str:
    """Per notebook: each mutant, what it undoes and the checks it failed; then the checks
    that no mutant failed."""
    lines = ["# Lesson mutants (ci profile)", ""]
    for stem, entry in sorted(report.items()):
        lines += [f"## {stem}", "", "| mutant | undoes | checks it failed |", "|---|---|---|"]
        for name, m in entry["mutants"].items():
            error = f" ({m['error']})" if m["error"] else ""
            failed = ", ".join(m["failed"]) or f"none{error}"
            lines.append(f"| {name} | {m['undoes']} | {failed} |")
        never = ", ".join(entry["never_failed"]) or "none"
        lines += ["", f"Checks that no mutant failed: {never}.", ""]
    return "\n".join(lines)


def stale(stem: str, notebook: Path, report: dict | None = None) -> str:
    """Why the report's entry for ``stem`` is out of date (``""`` when it is current)."""
    entry = (read_report() if report is None else report).get(stem)
    if entry is None:
        return f"no entry for {stem}"
    if entry.get("lesson_sha256") != lesson_sha256(notebook):
        return f"{notebook.name}'s code changed after its mutants last ran"
    if entry["mutants_sha256"] != fingerprint(mutants_of(stem)):
        return f"the mutants of {stem} changed after they last ran"
    return ""
