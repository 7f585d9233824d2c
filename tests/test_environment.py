"""The pins live in pyproject.toml; environment.yml, binder/ and the installed packages agree."""

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _env_pip_lines(name: str = "environment.yml") -> list[str]:
    lines, inside = [], False
    for line in (ROOT / name).read_text().splitlines():
        if line.strip() == "- pip:":
            inside = True
            continue
        if inside and line.strip().startswith("- "):
            lines.append(line.strip()[2:].strip().strip('"'))
    return lines


def _constraints() -> dict[str, SpecifierSet]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.split("#")[0].strip():
            req = Requirement(line.split("#")[0])
            pins[req.name] = req.specifier
    return pins


def _pinned() -> list[str]:
    """What the README's commands install: pyproject's requirements (TensorFlow from the cpu
    extra), with constraints.txt's pin in place of a tested range, the marker kept."""
    project = PYPROJECT["project"]
    extras = project["optional-dependencies"]
    pins = _constraints()
    out = []
    for line in project["dependencies"] + extras["cpu"] + extras["lab"] + extras["test"]:
        requirement, _, marker = line.partition(";")
        name = Requirement(requirement).name
        if name in pins:
            line = f"{name}{pins[name]}" + (f" ;{marker}" if marker else "")
        out.append(line)
    return out


def test_constraints_pin_the_top_of_each_tested_range():
    project = PYPROJECT["project"]
    ranges = {}
    for line in project["dependencies"] + project["optional-dependencies"]["cpu"]:
        req = Requirement(line)
        ranges.setdefault(req.name, req.specifier)
    pins = _constraints()
    assert set(pins) >= {"keras", "numpy", "tensorflow", "tensorflow-cpu"}
    for name, pin in pins.items():
        assert name in ranges, f"constraints.txt pins {name}, which pyproject does not require"
        top = str(pin).removeprefix("==").removesuffix(".*")
        assert ranges[name].contains(f"{top}.0"), f"{name} {pin} outside {ranges[name]}"
        major, minor = map(int, top.split("."))
        assert not ranges[name].contains(f"{major}.{minor + 1}.0"), f"{name}: not the top"


def test_environment_yml_repeats_the_pins_exactly():
    assert sorted(line for line in _env_pip_lines() if line != "-e .") == sorted(_pinned())
    assert "-e ." in _env_pip_lines()
    assert "python=3.11" in (ROOT / "environment.yml").read_text()


def test_binder_environment_has_the_same_pins_and_installs_the_course_after_the_copy():
    # repo2docker builds the environment before the repository is copied in, so `-e .`
    # cannot be in binder/environment.yml; binder/postBuild installs the course instead.
    assert _env_pip_lines("binder/environment.yml") == [
        line for line in _env_pip_lines() if line != "-e ."
    ]
    assert "python=3.11" in (ROOT / "binder" / "environment.yml").read_text()
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable"
    assert "pip install --no-deps -e ." in post_build.read_text()


def test_notebook_breaking_packages_are_pinned_to_a_minor_version():
    deps = " ".join(_pinned())
    for name in ("tensorflow-cpu", "tensorflow", "keras", "wfdb", "numpy", "papermill"):
        assert re.search(rf"(^|\s|\"){re.escape(name)}==\d+\.\d+\.\*", deps), name


@pytest.mark.parametrize("name", ["keras", "wfdb", "numpy", "scikit-learn", "papermill"])
def test_installed_versions_match_the_pins(name):
    pin = next(d for d in _pinned() if re.match(rf"{re.escape(name)}==", d))
    wanted = pin.split("==")[1].split(";")[0].strip().rstrip("*").rstrip(".")
    assert version(name).startswith(wanted + "."), f"{name} {version(name)} vs pin {pin}"


def test_installed_tensorflow_matches_the_pin():
    import tensorflow as tf

    assert tf.__version__.startswith("2.21."), tf.__version__
