"""The stack a notebook runs on, against the range the lessons are tested on.

A hosted runtime (Colab, Kaggle) brings its own TensorFlow, Keras and NumPy, and its
TensorFlow may be a GPU build. The course declares the range its lessons are tested on (its
package metadata, from ``pyproject.toml``: Keras and NumPy as dependencies, TensorFlow in the
``cpu`` and ``gpu`` extras) and keeps a runtime's own versions inside it: installing the
course there touches none of the three. :func:`check_stack` says, on ``import ecgcourse``,
when a version lies outside the range, and what to do.
"""

from __future__ import annotations

import sys
import warnings
from importlib.metadata import PackageNotFoundError, metadata, requires, version

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

TENSORFLOWS = ("tensorflow-cpu", "tensorflow")
"""The two distributions of the ``tensorflow`` module: the small CPU-only one (the ``cpu``
extra on Linux x86-64) and the full one (elsewhere, a hosted runtime's, and on a CUDA GPU:
README, *A GPU*). Never both: they share one package folder."""


def tested_range() -> dict[str, SpecifierSet]:
    """``{"python", "tensorflow", "keras", "numpy": SpecifierSet}`` from the installed
    course's metadata (its ``pyproject.toml``)."""
    ranges = {"python": SpecifierSet(metadata("ecgcourse")["Requires-Python"])}
    for line in requires("ecgcourse") or []:
        req = Requirement(line)
        name = "tensorflow" if req.name in TENSORFLOWS else req.name
        if name in ("tensorflow", "keras", "numpy") and name not in ranges:
            ranges[name] = req.specifier
    return ranges


def installed_tensorflow() -> str | None:
    """The version of whichever distribution provides ``tensorflow``, or None."""
    for dist in TENSORFLOWS:
        try:
            return version(dist)
        except PackageNotFoundError:
            pass
    return None


def stack() -> dict[str, str | None]:
    """``{"python", "tensorflow", "keras", "numpy": version or None}`` of this environment."""
    found: dict[str, str | None] = {"python": ".".join(map(str, sys.version_info[:3]))}
    found["tensorflow"] = installed_tensorflow()
    for name in ("keras", "numpy"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


INSTALL_TENSORFLOW = (
    "pip install 'ecgcourse[cpu]' (in a checkout: pip install -e '.[cpu]'), or '[gpu]' with "
    "a CUDA GPU; in a notebook, %pip install 'tensorflow>=2.20,<2.22' and restart the kernel"
)


def outside_tested_range(
    found: dict[str, str | None] | None = None,
    ranges: dict[str, SpecifierSet] | None = None,
) -> list[str]:
    """One message per package missing or outside the tested range (empty: all inside)."""
    found = stack() if found is None else found
    ranges = tested_range() if ranges is None else ranges
    problems = []
    for name, spec in ranges.items():
        have = found.get(name)
        if have is None:
            hint = INSTALL_TENSORFLOW if name == "tensorflow" else f"pip install '{name}{spec}'"
            problems.append(f"{name} is not installed: {hint}")
        elif not spec.contains(have, prereleases=True):
            problems.append(
                f"{name} {have} is outside the range the lessons are tested on ({spec}): "
                f"a lesson may not hold as written; pip install '{name}{spec}' and restart "
                "the kernel"
            )
    return problems


def check_stack() -> list[str]:
    """Warn once per problem of :func:`outside_tested_range`; returns the messages."""
    try:
        problems = outside_tested_range()
    except PackageNotFoundError:  # a source tree that is not installed: nothing to compare
        return []
    for problem in problems:
        warnings.warn(problem, RuntimeWarning, stacklevel=2)
    return problems
