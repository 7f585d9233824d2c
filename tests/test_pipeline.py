import json

import numpy as np
import pytest

from ecgcourse.beats import load_beats
from ecgcourse.normalise import Normaliser
from ecgcourse.pipeline import NORMALISER_FILE, BeatPipeline, PipelineError


def test_round_trip_gives_the_same_outputs(pipeline, tmp_path):
    X = np.random.default_rng(1).normal(size=(5, 20)).astype(np.float32)
    loaded = BeatPipeline.load(pipeline.save(tmp_path / "p"), expect_fs=250)
    np.testing.assert_allclose(loaded.predict(X, fs=250), pipeline.predict(X, fs=250), rtol=1e-6)
    assert loaded.classes == ("non-V", "V")


def test_wrong_rate_and_missing_normaliser_are_clear_errors(pipeline, tmp_path):
    X = np.zeros((2, 20), dtype=np.float32)
    with pytest.raises(PipelineError, match="sampled at 250 Hz, got 360 Hz"):
        pipeline.predict(X, fs=360)
    path = pipeline.save(tmp_path / "p")
    with pytest.raises(PipelineError, match="trained at 250 Hz, not 500 Hz"):
        BeatPipeline.load(path, expect_fs=500)
    (path / NORMALISER_FILE).unlink()
    with pytest.raises(PipelineError, match="no normaliser.json"):
        BeatPipeline.load(path)


def test_unfitted_normaliser_and_another_rate_are_refused(pipeline):
    with pytest.raises(PipelineError, match="not fitted"):
        BeatPipeline(pipeline.model, Normaliser("zscore"), fs=250, classes=("a", "b"))
    with pytest.raises(PipelineError, match="fitted at 250 Hz, pipeline says 360 Hz"):
        BeatPipeline(pipeline.model, pipeline.normaliser, fs=360, classes=("a", "b"))


def test_a_pipeline_saved_with_the_old_normaliser_format_still_loads(pipeline, tmp_path):
    path = pipeline.save(tmp_path / "p")
    norm = pipeline.normaliser
    old = {
        "method": "zscore",
        "window_shape": [20],
        "fs": 250.0,
        "stats": {"centre": norm.centre_.tolist(), "scale": norm.scale_.tolist()},
    }
    (path / NORMALISER_FILE).write_text(json.dumps(old))
    X = np.random.default_rng(2).normal(size=(4, 20)).astype(np.float32)
    np.testing.assert_array_equal(
        BeatPipeline.load(path).predict(X, fs=250), pipeline.predict(X, fs=250)
    )


def test_load_beats_change_hook_lines_up_with_clean_beats():
    clean = load_beats(["100"])
    louder = load_beats(["100"], change=lambda x, fs, record: 5 * x)
    assert len(clean) == len(louder)
    np.testing.assert_allclose(louder.X, 5 * clean.X, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="keep the shape"):
        load_beats(["100"], change=lambda x, fs, record: x[:-1])
