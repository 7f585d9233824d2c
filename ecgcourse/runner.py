"""Execute course notebooks with papermill and write the course report.

``python -m ecgcourse run [NOTEBOOK ...] --profile {ci,full} [--data-dir DIR]`` writes to
``build/<profile>/``: each executed notebook (``.ipynb`` and ``.html``), ``metrics.json``
(``{stem: {"seconds": ..., "status": ..., "metrics": {...}}}``) and ``index.html``
(the course report, :mod:`ecgcourse.report`).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter

from ecgcourse.atomic import write_text_atomic
from ecgcourse.paths import BUILD_DIR, DATA_DIR_ENV, NOTEBOOK_DIR
from ecgcourse.profiles import NEEDS_DATA_DIR, PROFILES
from ecgcourse.report import write_index
from ecgcourse.results import METRICS_FILE_ENV


@dataclass
class NotebookRun:
    """What one notebook run produced."""

    stem: str
    seconds: float
    status: str
    metrics: dict[str, float] = field(default_factory=dict)
    error: str = ""


def course_notebooks(notebook_dir: Path = NOTEBOOK_DIR) -> list[Path]:
    """The course notebooks in order: ``notebooks/NN_name.ipynb``."""
    return sorted(notebook_dir.glob("[0-9][0-9]_*.ipynb"))


def resolve_notebooks(names: list[str] | None, notebook_dir: Path = NOTEBOOK_DIR) -> list[Path]:
    """Notebooks named by stem (``01_loading``), number (``01``), file name or path."""
    every = course_notebooks(notebook_dir)
    if not names:
        return every
    chosen = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            chosen.append(path.resolve())
            continue
        matches = [nb for nb in every if nb.stem == path.stem or nb.stem.split("_")[0] == name]
        if not matches:
            known = ", ".join(nb.stem for nb in every)
            raise FileNotFoundError(f"no course notebook called {name!r}; known: {known}")
        chosen.extend(matches)
    return chosen


def parameters_for(notebook: Path, profile: str, data_dir: Path | None) -> dict[str, object]:
    """The papermill parameters of one notebook in one profile (checked against the notebook)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}")
    declared = papermill.inspect_notebook(str(notebook))
    params: dict[str, object] = {"data_dir": str(data_dir) if data_dir else ""}
    params.update(PROFILES[profile].get(notebook.stem, {}))
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise KeyError(
            f"{notebook.name} has no parameter(s) {unknown} in its 'parameters' cell; "
            f"it declares {sorted(declared)}"
        )
    return params


def _metrics_of(path: Path) -> dict[str, float]:
    return json.loads(path.read_text()) if path.is_file() else {}


def run_notebook(notebook: Path, out_dir: Path, profile: str, data_dir: Path | None) -> NotebookRun:
    """Execute one notebook into ``out_dir`` and collect the metrics it recorded."""
    params = parameters_for(notebook, profile, data_dir)
    executed = out_dir / notebook.name
    saved_env = {k: os.environ.get(k) for k in (METRICS_FILE_ENV, DATA_DIR_ENV)}
    with tempfile.TemporaryDirectory() as tmp:
        metrics_file = Path(tmp) / "metrics.json"
        os.environ[METRICS_FILE_ENV] = str(metrics_file)
        if data_dir:
            os.environ[DATA_DIR_ENV] = str(data_dir)
        else:
            os.environ.pop(DATA_DIR_ENV, None)  # ci and student runs read the pack
        start = time.perf_counter()
        status, error = "ok", ""
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=params,
                kernel_name="python3",
                cwd=str(out_dir),
                progress_bar=False,
            )
        except Exception as exc:  # the executed copy still shows where it failed
            status, error = "failed", f"{type(exc).__name__}: {exc}"[-2000:]
        finally:
            seconds = time.perf_counter() - start
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        metrics = _metrics_of(metrics_file)
    if executed.is_file():
        body, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
        write_text_atomic(executed.with_suffix(".html"), body)
    return NotebookRun(notebook.stem, round(seconds, 1), status, metrics, error)


def run_course(
    names: list[str] | None = None,
    profile: str = "ci",
    data_dir: str | Path | None = None,
    build_dir: Path = BUILD_DIR,
) -> dict[str, dict]:
    """Run notebooks in a profile; returns the merged contents of ``metrics.json``.

    Results of notebooks not run this time are kept from earlier runs of the same profile.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}")
    data_path = Path(data_dir).expanduser().resolve() if data_dir else None
    if profile in NEEDS_DATA_DIR:
        env_dir = os.environ.get(DATA_DIR_ENV)
        data_path = data_path or (Path(env_dir).resolve() if env_dir else None)
        if data_path is None or not data_path.is_dir():
            raise FileNotFoundError(
                f"profile {profile!r} reads the full databases: pass --data-dir DIR or set "
                f"{DATA_DIR_ENV} (fetch them with `python -m ecgcourse fetch mitdb ludb nstdb "
                f"--data-dir DIR`)"
            )
    notebooks = resolve_notebooks(names)
    for nb in notebooks:  # fail fast on a wrong profile before running anything
        parameters_for(nb, profile, data_path)
    out_dir = build_dir / profile
    out_dir.mkdir(parents=True, exist_ok=True)
    metrics_path = out_dir / "metrics.json"
    runs: dict[str, dict] = {}
    for nb in notebooks:
        print(f"[{profile}] running {nb.name} ...", flush=True)
        run = run_notebook(nb, out_dir, profile, data_path)
        print(f"[{profile}] {nb.stem}: {run.status} in {run.seconds:.1f} s", flush=True)
        # Re-read just before writing, so another run into the same folder is not lost.
        runs = json.loads(metrics_path.read_text()) if metrics_path.is_file() else {}
        runs[run.stem] = {"seconds": run.seconds, "status": run.status, "metrics": run.metrics}
        if run.error:
            runs[run.stem]["error"] = run.error
        write_text_atomic(metrics_path, json.dumps(runs, indent=1, sort_keys=True))
    write_index(out_dir, runs, profile)
    return runs
