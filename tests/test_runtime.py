"""The stack in use against the tested range, read from the course's own metadata."""

import warnings

from packaging.specifiers import SpecifierSet

from ecgcourse import runtime

RANGES = {
    "python": SpecifierSet(">=3.11,<3.14"),
    "tensorflow": SpecifierSet(">=2.20,<2.22"),
    "keras": SpecifierSet(">=3.13,<3.16"),
    "numpy": SpecifierSet(">=2.1,<2.5"),
}


def test_the_tested_range_comes_from_pyproject():
    assert runtime.tested_range() == RANGES


def test_colabs_stack_is_inside_and_the_pins_too():
    colab = {"python": "3.13.5", "tensorflow": "2.20.0", "keras": "3.13.2", "numpy": "2.1.3"}
    pins = {"python": "3.11.7", "tensorflow": "2.21.0", "keras": "3.15.1", "numpy": "2.4.6"}
    assert runtime.outside_tested_range(colab, RANGES) == []
    assert runtime.outside_tested_range(pins, RANGES) == []


def test_off_range_and_missing_packages_say_what_to_do():
    found = {"python": "3.12.1", "tensorflow": None, "keras": "3.17.0", "numpy": "2.4.0"}
    problems = runtime.outside_tested_range(found, RANGES)
    assert len(problems) == 2
    assert problems[0].startswith("tensorflow is not installed: pip install 'ecgcourse[cpu]'")
    assert "keras 3.17.0 is outside the range" in problems[1]
    assert "pip install 'keras<3.16,>=3.13'" in problems[1]


def test_this_environment_is_inside_the_range_and_import_is_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert runtime.check_stack() == []
