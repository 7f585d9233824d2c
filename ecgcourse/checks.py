"""Closing checks that say how close they came to failing.

A notebook's ``## Check the lesson`` cell asserts its claim with :func:`check`, which raises
an ``AssertionError`` like ``assert`` does, and also records the value, the limit and the
margin (how far the value was on the passing side). The runner collects them into
``metrics.json`` and the seed sweep (``python -m ecgcourse sweep``) reports, for each check,
the seed where it came closest to failing: a check that passes at 0.49 against 0.5 is a
coin toss, not a lesson.
"""

from __future__ import annotations

import json
import math
import operator
import os
from pathlib import Path

from ecgcourse.atomic import write_text_atomic

CHECKS_FILE_ENV = "ECGCOURSE_CHECKS_FILE"
"""Set by the runner to the JSON file where this notebook's checks go."""
KEEP_GOING_ENV = "ECGCOURSE_CHECKS_KEEP_GOING"
"""Set (to 1) by ``python -m ecgcourse mutants``: a failing check is recorded, not raised, so
that every check of a mutated notebook is evaluated."""

_PASSED: dict[str, None] = {}  # names of the checks passed in this process, in order

_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def check(name: str, value: float, op: str, limit: float, message: str) -> float:
    """Assert ``value op limit`` (``op`` one of ``>``, ``>=``, ``<``, ``<=``) and record it.

    ``name`` identifies the check across runs (an identifier); ``message`` says what the
    lesson claims. Returns ``value``. The recorded margin is ``value - limit`` for ``>``
    and ``>=``, ``limit - value`` for ``<`` and ``<=``: positive when the check passes.
    """
    if not name.isidentifier():
        raise ValueError(f"check name {name!r} must be a valid identifier (letters, digits, _)")
    if op not in _OPS:
        raise ValueError(f"check {name}: op must be one of {sorted(_OPS)}, got {op!r}")
    value, limit = float(value), float(limit)
    if not (math.isfinite(value) and math.isfinite(limit)):
        if os.environ.get(KEEP_GOING_ENV):  # the mutants command reads only "passed"
            _record(name, {"value": None, "op": op, "limit": None, "passed": False})
            return value
        raise AssertionError(f"{message} ({name}: value {value}, limit {limit} must be finite)")
    margin = value - limit if op in (">", ">=") else limit - value
    passed = bool(_OPS[op](value, limit))
    _record(name, {"value": value, "op": op, "limit": limit, "margin": margin, "passed": passed})
    if not passed:
        if os.environ.get(KEEP_GOING_ENV):
            return value
        raise AssertionError(f"{message} ({name} = {value:.4g}, needs {op} {limit:.4g})")
    _PASSED[name] = None
    return value


def passed_checks() -> list[str]:
    """Names of the checks that passed in this process (this notebook's kernel), in order."""
    return list(_PASSED)


def _record(name: str, entry: dict) -> None:
    target = os.environ.get(CHECKS_FILE_ENV)
    if not target:
        return
    path = Path(target)
    checks = json.loads(path.read_text()) if path.is_file() else {}
    checks[name] = entry
    write_text_atomic(path, json.dumps(checks, indent=1, sort_keys=True))


# --- Exercises whose answers shape what a notebook saves ---------------------------------

_EXERCISES: dict[str, str] = {}  # exercise (the function the student writes) -> its status
PASSED, STOOD_IN = "passed its check", "not written: the course's version stood in"


def exercise_passed(name: str) -> None:
    """Record that the exercise writing ``name`` passed its check (the last line of its
    cell, reached only when every assert above it held)."""
    _EXERCISES[name] = PASSED


def course_stood_in(name: str) -> None:
    """Record that the course's version stood in for ``name``, not written yet
    (:func:`ecgcourse.training.written_or` calls it)."""
    _EXERCISES.setdefault(name, STOOD_IN)


def exercise_status(names: list[str]) -> dict[str, str]:
    """``{name: status}``: passed its check, the course's version stood in, or neither
    (``"failed its check"``: a written answer whose check raised, used all the same)."""
    return {name: _EXERCISES.get(name, "failed its check") for name in names}
