"""Build hook: a wheel carries the course itself, not only the helper package.

Everything else is in pyproject.toml. At build time the course pack (``data/pack``), the
notebooks and the workshop guide are copied into ``ecgcourse/_course/`` of the wheel, so an
installed course runs without a checkout (``ecgcourse.paths``).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
COURSE = {
    "data/pack": "data/pack",
    "notebooks": "notebooks",
    "workshop": "workshop",
}
SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "models", "device_recordings", "__pycache__")


class BuildWithCourse(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        target = Path(self.build_lib) / "ecgcourse" / "_course"
        shutil.rmtree(target, ignore_errors=True)
        for source, dest in COURSE.items():
            shutil.copytree(HERE / source, target / dest, ignore=SKIP)


setup(cmdclass={"build_py": BuildWithCourse})
