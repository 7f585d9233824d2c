"""Did the notebook that saved a pipeline pass its own closing checks?

Notebook 8 saves its pipeline before its ``## Check the lesson`` cell runs, so a pipeline
folder can hold the model of a lesson that failed. The last line of that cell, reached only
when every check has passed, writes :data:`LESSON_FILE` into the folder
(:func:`mark_lesson_passed`). :meth:`~ecgcourse.pipeline.BeatPipeline.save` replaces the
folder as a whole, so a later save removes the mark until its own checks pass again.
Notebook 10 calls :func:`require_passed_lesson` before it uses the pipeline, and
:func:`pipeline_from_notebook` on a fresh runtime, where notebook 8 has not run.

    mark_lesson_passed("models/v_detector", "08_calibration", checks=["temperature", ...])
    require_passed_lesson("models/v_detector")   # raises FailedLessonError without the mark
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from ecgcourse.atomic import write_text_atomic
from ecgcourse.checks import PASSED, STOOD_IN
from ecgcourse.pipeline import META_FILE

LESSON_FILE = "lesson_checks.json"
"""Written into a pipeline's folder once the notebook that saved it passed every check."""


OK_EXERCISE = (PASSED, STOOD_IN)
"""Statuses of an exercise that leave its notebook's pipeline the lesson's."""


class FailedLessonError(RuntimeError):
    """The pipeline's folder does not say that its notebook passed its closing checks."""


def mark_lesson_passed(
    pipeline_dir: str | Path,
    notebook: str,
    checks: list[str],
    exercises: dict[str, str] | None = None,
) -> Path:
    """Write :data:`LESSON_FILE` into ``pipeline_dir`` (a saved pipeline): ``notebook``
    passed the closing ``checks`` (their names) after saving it. ``exercises``
    (:func:`ecgcourse.checks.exercise_status` of the exercises whose answers shaped the
    pipeline) must each have passed its check or been stood in for by the course's version:
    a pipeline built with an answer that failed its check is not the lesson's, and
    :class:`FailedLessonError` says which. Returns the file's path."""
    pipeline_dir = Path(pipeline_dir)
    if not (pipeline_dir / META_FILE).is_file():
        raise FileNotFoundError(
            f"no {META_FILE} in {pipeline_dir}: save the pipeline before marking its lesson"
        )
    if not checks:
        raise ValueError("name the checks that passed: an empty list proves nothing")
    failed = [name for name, status in (exercises or {}).items() if status not in OK_EXERCISE]
    if failed:
        raise FailedLessonError(
            f"not marking {pipeline_dir} as {notebook}'s: the exercise(s) {', '.join(failed)} "
            "failed their checks, and the pipeline was built with those answers; fix them "
            "and run the notebook again"
        )
    payload = {
        "notebook": notebook,
        "passed": True,
        "checks": sorted(checks),
        "exercises": dict(exercises or {}),
        "written_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return write_text_atomic(pipeline_dir / LESSON_FILE, json.dumps(payload, indent=1))


def lesson_passed(pipeline_dir: str | Path) -> dict | None:
    """The contents of :data:`LESSON_FILE` in ``pipeline_dir``, or ``None`` without one."""
    path = Path(pipeline_dir) / LESSON_FILE
    if not path.is_file():
        return None
    try:
        payload = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not valid JSON (damaged or cut short?): {error}") from None
    return payload if isinstance(payload, dict) and payload.get("passed") is True else None


def require_passed_lesson(pipeline_dir: str | Path, allow_failed: bool = False) -> dict | None:
    """:func:`lesson_passed`, raising :class:`FailedLessonError` where the mark is missing,
    unless ``allow_failed`` (then ``None`` is returned, and the caller should say so)."""
    mark = lesson_passed(pipeline_dir)
    if mark is None and not allow_failed:
        raise FailedLessonError(
            f"{Path(pipeline_dir)} holds no {LESSON_FILE}: the notebook that saved this "
            "pipeline (notebook 8) writes it only after its last closing check passes, so that "
            "run failed a check or stopped early, and its model belongs to a lesson that did "
            "not hold. Run notebook 8 again to the end (python -m ecgcourse run 08 --profile "
            "PROFILE), or set use_failed_pipeline = True in notebook 10 to study it anyway."
        )
    return mark


def pipeline_from_notebook(
    pipeline_dir: str | Path,
    *,
    notebook: str = "08_calibration",
    saved_as: str = "models/v_detector",
    profile: str = "student",
    data_dir: str | Path = "",
    seed: int = 0,
) -> Path:
    """``pipeline_dir``, where it holds a saved pipeline. Where it holds none (a fresh
    hosted runtime: Colab gives every notebook its own disk), ``notebook`` is run first,
    headless, through the course's runner in a new folder ``<notebook>-run/``, and the
    pipeline it saved there (``saved_as``, relative to its folder), lesson mark included,
    is copied to ``pipeline_dir``. Nothing existing is overwritten.
    """
    from ecgcourse.tooling.runner import resolve_notebooks, run_notebook

    pipeline_dir = Path(pipeline_dir)
    if (pipeline_dir / META_FILE).is_file():
        return pipeline_dir
    if pipeline_dir.exists():
        raise FileExistsError(
            f"{pipeline_dir} exists but holds no saved pipeline ({META_FILE}): move it away, "
            f"or set pipeline_dir to the folder {notebook} saved"
        )
    run_dir = Path(f"{notebook}-run")
    if run_dir.exists():
        raise FileExistsError(
            f"{run_dir} exists: it would be where {notebook} runs; move it away and run again"
        )
    (source,) = resolve_notebooks([notebook])
    print(f"no pipeline in {pipeline_dir}: running {source.name} first ({profile} profile, a "
          f"few minutes; its executed copy goes to {run_dir}/)")  # fmt: skip
    run_dir.mkdir()
    done = run_notebook(source, run_dir, profile, Path(data_dir) if data_dir else None, seed)
    made = run_dir / saved_as
    if done.status != "ok" or not (made / META_FILE).is_file():
        raise FailedLessonError(
            f"{notebook} did not finish with its pipeline ({done.error or 'no ' + str(made)}): "
            f"open {run_dir / source.name} to see where it stopped"
        )
    shutil.copytree(made, pipeline_dir)
    return pipeline_dir
