import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ecgcourse.normalise import Normaliser
from ecgcourse.paths import DATA_DIR_ENV
from ecgcourse.pipeline import BeatPipeline

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _pack_only(monkeypatch):
    """Tests read the committed course pack unless they set a data directory themselves."""
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)


@pytest.fixture(scope="session")
def course_wheel(tmp_path_factory):
    """The course built as a wheel, as a package index would serve it."""
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)]
    subprocess.run(cmd, check=True)
    (found,) = out.glob("ecgcourse-*.whl")
    return found


@pytest.fixture(scope="module")
def pipeline():
    """A tiny saved-able pipeline: a Dense model on 20-sample beats at 250 Hz."""
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(1)])
    norm = Normaliser("zscore", fs=250).fit(np.random.default_rng(0).normal(size=(30, 20)))
    return BeatPipeline(model, norm, fs=250, classes=("non-V", "V"))
