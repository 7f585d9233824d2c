"""Execute course notebooks with papermill and write the course report.

``python -m ecgcourse run [NOTEBOOK ...] --profile {student,ci,full} [--seed N]
[--data-dir DIR]`` writes to ``build/<profile>/`` (``build/<profile>-seed<N>/`` for a seed
other than 0): each executed notebook (``.ipynb`` and ``.html``), ``metrics.json``
(``{stem: {"seconds", "status", "seed", "parameters", "metrics": {...}, "checks": {...}}}``)
and ``index.html`` (the course report, :mod:`ecgcourse.tooling.report`). Every notebook that draws
random numbers has a ``seed`` parameter; the runner passes the run's seed to each of them,
so the executed copy shows it in its injected-parameters cell.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter

from ecgcourse.atomic import NotOursError, write_text_atomic
from ecgcourse.checks import CHECKS_FILE_ENV
from ecgcourse.paths import BUILD_DIR, DATA_DIR_ENV, NOTEBOOK_DIR, require_data_dir
from ecgcourse.results import METRICS_FILE_ENV
from ecgcourse.tooling.exercises import PROBES_FILE_ENV, probed_copy, solution_cells, student_copy
from ecgcourse.tooling.profiles import NEEDS_DATA_DIR, PROFILES
from ecgcourse.tooling.report import write_index


@dataclass
class NotebookRun:
    """What one notebook run produced."""

    stem: str
    seconds: float
    status: str
    metrics: dict[str, float] = field(default_factory=dict)
    error: str = ""
    checks: dict[str, dict] = field(default_factory=dict)
    parameters: dict[str, object] = field(default_factory=dict)
    probes: dict[str, dict] | None = None


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


KERNEL_LOG = "kernels.log"
"""Where a run's kernels write what they print outside the notebook (library start-up
messages, TensorFlow's C++ log): beside the executed notebooks, ``build/<profile>/``."""
KERNEL_ARGS = ["--IPKernelApp.capture_fd_output=False"]
"""ipykernel copies what C libraries write to the process's stdout and stderr into the
notebook (TensorFlow's oneDNN and absl start-up lines, its C++ log): not in an executed
notebook, where it goes to :data:`KERNEL_LOG` instead. Python's warnings still show."""


@contextmanager
def stderr_to(log: Path) -> Iterator[None]:
    """Send this process's file descriptor 2, which the kernels it starts inherit, to the
    end of ``log`` while the block runs (this process's own Python errors still raise)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


DEFAULT_SEED = 0
"""The seed of the student defaults (every notebook's ``seed = 0``)."""


def output_dir(
    profile: str, seed: int = DEFAULT_SEED, build_dir: Path = BUILD_DIR, handouts: bool = False
) -> Path:
    """Where a run goes: ``build/<profile>/``, ``-seed<N>`` added for a seed other than 0,
    ``-handouts`` for a run of the handouts (the notebooks with their exercises stubbed)."""
    name = profile if seed == DEFAULT_SEED else f"{profile}-seed{seed}"
    return build_dir / (f"{name}-handouts" if handouts else name)


def parameters_for(
    notebook: Path, profile: str, data_dir: Path | None, seed: int = DEFAULT_SEED
) -> dict[str, object]:
    """The papermill parameters of one notebook in one profile (checked against the notebook).

    ``seed`` goes to every notebook whose ``parameters`` cell declares one.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    declared = papermill.inspect_notebook(str(notebook))
    params: dict[str, object] = {"data_dir": str(data_dir) if data_dir else ""}
    if "seed" in declared:
        params["seed"] = seed
    params.update(PROFILES[profile].get(notebook.stem, {}))
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise KeyError(
            f"{notebook.name} has no parameter(s) {unknown} in its 'parameters' cell; "
            f"it declares {sorted(declared)}"
        )
    return params


def _json_of(path: Path) -> dict:
    return json.loads(path.read_text()) if path.is_file() else {}


def stub_errors_only(executed: Path) -> str:
    """Why an executed student copy failed, or ``""`` when its only errors are the
    ``NotImplementedError`` of unanswered exercises and every other cell ran."""
    nb = nbformat.read(executed, as_version=4)
    stubs = set(solution_cells(nb))
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if errors and not (i in stubs and errors[0].ename == "NotImplementedError"):
            return f"cell {i} ({'exercise' if i in stubs else 'lesson'}): {errors[0].ename}"
        if cell.execution_count is None and cell.source.strip():
            return f"cell {i} never ran"
    return ""


def run_notebook(
    notebook: Path,
    out_dir: Path,
    profile: str,
    data_dir: Path | None,
    seed: int = DEFAULT_SEED,
    handouts: bool = False,
    probe_exercises: bool = False,
) -> NotebookRun:
    """Execute one notebook into ``out_dir``; collect the metrics and checks it recorded.

    With ``handouts``, execute its handout instead (every exercise unanswered): it
    passes when everything but the stubs ran. With ``probe_exercises``, a cell after every
    exercise runs its check on wrong answers (:func:`ecgcourse.tooling.exercises.probe`); the
    results go to the run's ``probes``.
    """
    params = parameters_for(notebook, profile, data_dir, seed)
    executed = out_dir / notebook.name
    source = notebook
    envs = (METRICS_FILE_ENV, CHECKS_FILE_ENV, PROBES_FILE_ENV, DATA_DIR_ENV)
    saved_env = {k: os.environ.get(k) for k in envs}
    with tempfile.TemporaryDirectory() as tmp:
        metrics_file = Path(tmp) / "metrics.json"
        checks_file = Path(tmp) / "checks.json"
        os.environ[METRICS_FILE_ENV] = str(metrics_file)
        os.environ[CHECKS_FILE_ENV] = str(checks_file)
        probes_file = Path(tmp) / "probes.json"
        os.environ.pop(PROBES_FILE_ENV, None)
        if data_dir:
            os.environ[DATA_DIR_ENV] = str(data_dir)
        else:
            os.environ.pop(DATA_DIR_ENV, None)  # ci and student runs read the pack
        if handouts or probe_exercises:
            source = Path(tmp) / notebook.name
            nb = nbformat.read(notebook, as_version=4)
            nbformat.write(student_copy(nb) if handouts else probed_copy(nb), source)
        if probe_exercises:
            os.environ[PROBES_FILE_ENV] = str(probes_file)
        start = time.perf_counter()
        status, error = "ok", ""
        try:
            papermill.execute_notebook(
                str(source),
                str(executed),
                parameters=params,
                kernel_name="python3",
                cwd=str(out_dir),
                progress_bar=False,
                extra_arguments=KERNEL_ARGS,
            )
        except Exception as exc:  # the executed copy still shows where it failed
            status, error = "failed", f"{type(exc).__name__}: {exc}"[-2000:]
            if handouts:
                why = stub_errors_only(executed) if executed.is_file() else "it did not execute"
                status, error = ("failed", f"handout: {why}; {error}") if why else ("ok", "")
        finally:
            seconds = time.perf_counter() - start
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        metrics, checks = _json_of(metrics_file), _json_of(checks_file)
        probes = _json_of(probes_file) if probe_exercises else None
    if executed.is_file():
        body, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
        write_text_atomic(executed.with_suffix(".html"), body)
    return NotebookRun(
        notebook.stem, round(seconds, 1), status, metrics, error, checks, params, probes
    )


def run_course(
    names: list[str] | None = None,
    profile: str = "ci",
    data_dir: str | Path | None = None,
    build_dir: Path = BUILD_DIR,
    seed: int = DEFAULT_SEED,
    out_dir: Path | None = None,
    handouts: bool = False,
    probe_exercises: bool = False,
) -> dict[str, dict]:
    """Run notebooks in a profile at one seed; returns the merged contents of ``metrics.json``.

    Output goes to ``out_dir`` (default :func:`output_dir`). Results of notebooks not run
    this time are kept from earlier runs into the same folder, which holds one profile and
    one seed. With ``handouts``, the handouts run instead (exercises unanswered).
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
    if data_path is not None:
        require_data_dir(data_path)
    notebooks = resolve_notebooks(names)
    for nb in notebooks:  # fail fast on a wrong profile or seed before running anything
        parameters_for(nb, profile, data_path, seed)
    out_dir = out_dir or output_dir(profile, seed, build_dir, handouts)
    metrics_path = out_dir / "metrics.json"
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        if not metrics_path.is_file():  # a run writes metrics.json first thing: not ours
            raise NotOursError(
                f"{out_dir} exists and holds no metrics.json, so no course run wrote it: not "
                "writing executed notebooks into it (move it away, or run from another folder)"
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    if not metrics_path.is_file():
        write_text_atomic(metrics_path, "{}")
    runs: dict[str, dict] = {}
    tag = f"{profile}, seed {seed}" + (", handouts" if handouts else "")
    log = out_dir / KERNEL_LOG
    for nb in notebooks:
        print(f"[{tag}] {nb.stem:<16}", end=" ", flush=True)
        with stderr_to(log):
            run = run_notebook(nb, out_dir, profile, data_path, seed, handouts, probe_exercises)
        why = f": {run.error.splitlines()[0][:150]}" if run.error else ""
        print(f"{run.status} in {run.seconds:.1f} s{why}", flush=True)
        # Re-read just before writing, so another run into the same folder is not lost.
        runs = json.loads(metrics_path.read_text()) if metrics_path.is_file() else {}
        runs[run.stem] = {
            "seconds": run.seconds,
            "status": run.status,
            "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "seed": seed,
            "parameters": run.parameters,
            "metrics": run.metrics,
            "checks": run.checks,
        }
        if run.error:
            runs[run.stem]["error"] = run.error
        if run.probes is not None:
            runs[run.stem]["probes"] = run.probes
        write_text_atomic(metrics_path, json.dumps(runs, indent=1, sort_keys=True))
    write_index(out_dir, runs, profile if seed == DEFAULT_SEED else tag)
    return runs
