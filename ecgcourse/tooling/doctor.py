"""``python -m ecgcourse doctor``: is this machine ready for the course, and if not, what to do.

Checks the Python version, the pinned packages (TensorFlow/Keras, wfdb, papermill, ...),
which TensorFlow runs and the devices it sees, the course pack against its manifest, and
the full-data directory when one is set.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path

import wfdb
from packaging.requirements import Requirement

from ecgcourse.paths import DATA_DIR_ENV, IN_CHECKOUT, PACK_DIR, data_dir_from_env
from ecgcourse.runtime import TENSORFLOWS
from ecgcourse.tooling.pack import MANIFEST_FILE, PACK_SPEC, verify_pack

REINSTALL = (
    "pip install -e .  (from the repository root, in the course's environment)"
    if IN_CHECKOUT
    else "pip install --force-reinstall ecgcourse  (in the course's environment)"
)


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, whether it is fine, what was seen, and the fix."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def pinned_requirements() -> list[Requirement]:
    """The run-time requirements that apply to this platform, TensorFlow's from the ``cpu``
    extra (a GPU build or a hosted runtime's own satisfies it too): pins, or for TensorFlow,
    Keras and NumPy the tested range. Read from the installed package's metadata, so this
    works from a checkout and from a wheel alike."""
    reqs = [Requirement(d) for d in requires("ecgcourse") or []]
    return [
        r for r in reqs
        if r.marker is None or any(r.marker.evaluate({"extra": e}) for e in ("", "cpu"))
    ]  # fmt: skip


SUPPORTED_PYTHONS = ((3, 11), (3, 12), (3, 13))
"""Python versions the pins install on and the course is tested with (3.11 and 3.13 in CI)."""


def check_python(info: tuple[int, int] = sys.version_info[:2]) -> Check:
    ok = tuple(info) in SUPPORTED_PYTHONS
    names = ", ".join(f"{a}.{b}" for a, b in SUPPORTED_PYTHONS)
    return Check(
        "python",
        ok,
        f"Python {info[0]}.{info[1]} (supported: {names})",
        ""
        if ok
        else "create the environment with Python 3.11, 3.12 or 3.13: python3.13 -m venv .venv",
    )


GPU_INSTALL = (
    "pip uninstall -y tensorflow tensorflow-cpu && "
    "pip install 'tensorflow[and-cuda]==2.21.*'  (a CUDA GPU) or "
    "pip install 'tensorflow-cpu==2.21.*'  (CPU only)"
)


def _installed(name: str, version_of: Callable[[str], str]) -> str | None:
    try:
        return version_of(name)
    except PackageNotFoundError:
        return None


def check_packages(
    requirements: list[Requirement] | None = None,
    version_of: Callable[[str], str] = version,
) -> list[Check]:
    """One check per pinned package: installed, and inside its pin.

    Either TensorFlow distribution satisfies the TensorFlow pin (a GPU install replaces
    ``tensorflow-cpu`` by ``tensorflow``), but not both at once: they share one package
    folder, and two installed over each other break each other.
    """
    checks = []
    for req in requirements if requirements is not None else pinned_requirements():
        names = TENSORFLOWS if req.name in TENSORFLOWS else (req.name,)
        found = {n: v for n in names if (v := _installed(n, version_of)) is not None}
        if len(found) > 1:
            detail = ", ".join(f"{n} {v}" for n, v in found.items()) + ": both installed"
            checks.append(Check("tensorflow", False, detail, GPU_INSTALL))
            continue
        if not found:
            checks.append(Check(req.name, False, "not installed", f"pip install '{req}'"))
            continue
        ((name, got),) = found.items()
        ok = req.specifier.contains(got, prereleases=True)
        fix = "" if ok else f"pip install '{name}{req.specifier}'  (or {REINSTALL})"
        checks.append(Check(name, ok, f"{got} (tested: {req.specifier})", fix))
    return checks


def check_devices() -> Check:
    """Which TensorFlow runs, and the devices it sees (a GPU is optional)."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import tensorflow as tf
    except Exception as exc:  # a broken install: say so instead of crashing the doctor
        return Check("devices", False, f"TensorFlow does not import: {exc}", REINSTALL)
    devices = [d.device_type for d in tf.config.list_physical_devices()]
    gpus = devices.count("GPU")
    built = "CUDA build" if tf.test.is_built_with_cuda() else "CPU build"
    detail = f"TensorFlow {tf.__version__} ({built}) sees {devices.count('CPU')} CPU"
    detail += f" and {gpus} GPU(s)" if gpus else ", no GPU (fine: the course runs on a CPU)"
    return Check("devices", True, detail)


def check_pack(pack_dir: Path = PACK_DIR) -> Check:
    problems = verify_pack(pack_dir)
    if not problems:
        return Check("course pack", True, f"{pack_dir}: every file matches MANIFEST.json")
    shown = "; ".join(problems[:3]) + (
        f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
    )
    return Check(
        "course pack",
        False,
        shown,
        "restore it with `git checkout -- data/pack` (or rebuild from full databases: "
        "python -m ecgcourse pack --source DIR)"
        if IN_CHECKOUT
        else f"reinstall the course: {REINSTALL}",
    )


def _course_annotators() -> dict[tuple[str, str], list[str]]:
    """The annotation files the course reads for each record (the pack's manifest lists
    them): ``{(database, record): [extension, ...]}``; empty if the manifest is unreadable."""
    try:
        manifest = json.loads((PACK_DIR / MANIFEST_FILE).read_text())
        return {
            (db, entry["record"]): list(entry["annotators"])
            for db, info in manifest["databases"].items()
            for entry in info["records"]
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def record_missing_files(folder: Path, name: str, annotators: list[str]) -> list[str]:
    """The files of record ``name`` that are not in ``folder`` (or its ``data/``): the
    header, the signal files the header lists, and the ``annotators``' files."""
    base = next((d for d in (folder, folder / "data") if (d / f"{name}.hea").is_file()), None)
    if base is None:
        return [f"{name}.hea"]
    try:
        signal_files = list(dict.fromkeys(wfdb.rdheader(str(base / name)).file_name or []))
    except Exception:  # a header wfdb cannot parse is as good as missing
        return [f"{name}.hea (unreadable)"]
    wanted = signal_files + [f"{name}.{ext}" for ext in annotators]
    return [f for f in wanted if not (base / f).is_file()]


def check_data_dir(data_dir: Path | None) -> list[Check]:
    """Whether the full-data directory is set, and whether it holds every record the course
    reads (the records of the course pack, uncut), each with its header, signal and
    annotation files."""
    if data_dir is None:
        detail = f"not set ({DATA_DIR_ENV}); notebooks use the course pack"
        return [Check("full data", True, detail)]
    annotators = _course_annotators()
    checks = []
    for db, items in PACK_SPEC.items():
        folder = data_dir / db
        names = [item["record"] for item in items]
        missing = {
            n: files
            for n in names
            if (files := record_missing_files(folder, n, annotators.get((db, n), [])))
        }
        detail = f"{len(names) - len(missing)} of {len(names)} course records complete in {folder}"
        if missing:
            files = [f for fs in missing.values() for f in fs]
            detail += f" (missing: {', '.join(files[:5])}{' ...' if len(files) > 5 else ''})"
        fix = f"python -m ecgcourse fetch {db} --data-dir {data_dir}" if missing else ""
        checks.append(Check(f"full data: {db}", not missing, detail, fix))
    return checks


def run_checks(data_dir: Path | None = None) -> list[Check]:
    """Every check, in the order they are printed."""
    data_dir = data_dir or data_dir_from_env()
    return [
        check_python(),
        *check_packages(),
        check_devices(),
        check_pack(),
        *check_data_dir(data_dir),
    ]


def report(checks: list[Check]) -> str:
    """Lines of ``ok``/``PROBLEM``, each problem followed by what to do."""
    lines = []
    for c in checks:
        lines.append(f"{'ok     ' if c.ok else 'PROBLEM'} {c.name}: {c.detail}")
        if not c.ok and c.fix:
            lines.append(f"        fix: {c.fix}")
    bad = sum(not c.ok for c in checks)
    lines.append("all good: ready for the course" if not bad else f"{bad} problem(s) found")
    return "\n".join(lines)
