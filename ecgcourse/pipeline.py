"""A saved beat classifier that carries its own preprocessing: model + normaliser + rate.

What story A lacked: at inference the same normalisation, fitted on the training data,
at the same sampling rate, refusing anything else.

    pipeline = BeatPipeline(model, normaliser, fs=250, classes=("non-V", "V"))
    pipeline.save("build/models/v_detector")
    pipeline = BeatPipeline.load("build/models/v_detector")
    probabilities = pipeline.predict(beats.X, fs=beats.fs)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from ecgcourse import __version__
from ecgcourse.atomic import replace_dir
from ecgcourse.normalise import Normaliser

MODEL_FILE, NORMALISER_FILE, META_FILE = "model.keras", "normaliser.json", "pipeline.json"


class PipelineError(ValueError):
    """A saved pipeline is incomplete, or is given input it was not trained for."""


@dataclass
class BeatPipeline:
    """``model`` (a Keras model), its fitted ``normaliser``, the input rate ``fs`` in Hz and
    the names of its output ``classes``."""

    model: Any
    normaliser: Normaliser
    fs: float
    classes: tuple[str, ...]

    def __post_init__(self) -> None:
        try:
            check_is_fitted(self.normaliser)
        except NotFittedError:
            raise PipelineError(
                "the pipeline's normaliser is not fitted: fit it on training data"
            ) from None
        norm_fs = self.normaliser.fs_
        if norm_fs is not None and norm_fs != float(self.fs):
            raise PipelineError(
                f"normaliser was fitted at {norm_fs:g} Hz, pipeline says {self.fs:g} Hz"
            )

    def preprocess(self, X: np.ndarray, fs: float) -> np.ndarray:
        """Check the sampling rate (Hz) and normalise ``X``: ``(n, n_samples)`` in mV."""
        if float(fs) != float(self.fs):
            raise PipelineError(
                f"this pipeline takes beats sampled at {self.fs:g} Hz, got {float(fs):g} Hz: "
                f"resample to {self.fs:g} Hz first (ecgcourse.signals.resample)"
            )
        return self.normaliser.transform(X)

    def predict(self, X: np.ndarray, fs: float, batch_size: int = 1024) -> np.ndarray:
        """Model outputs for beats ``X`` (mV at ``fs`` Hz), as the model returns them."""
        return self.model.predict(self.preprocess(X, fs), batch_size=batch_size, verbose=0)

    def save(self, directory: str | Path) -> Path:
        """Write model, normaliser and metadata into ``directory``, replaced as a whole.

        ``directory`` must be new, empty, or a pipeline saved before (it holds
        ``pipeline.json``): anything else is refused and left untouched."""
        with replace_dir(directory, META_FILE) as staging:
            self.model.save(staging / MODEL_FILE)
            self.normaliser.save(staging / NORMALISER_FILE)
            meta = {"fs": float(self.fs), "classes": list(self.classes), "ecgcourse": __version__}
            (staging / META_FILE).write_text(json.dumps(meta, indent=1))
        return Path(directory)

    @classmethod
    def load(cls, directory: str | Path, expect_fs: float | None = None) -> BeatPipeline:
        """Read a pipeline written by :meth:`save`; ``expect_fs`` (Hz) must match if given."""
        import keras

        directory = Path(directory)
        for name, why in (
            (META_FILE, "it was not written by BeatPipeline.save"),
            (MODEL_FILE, "the model is missing"),
            (NORMALISER_FILE, "save the normaliser with the model, or the model is unusable"),
        ):
            if not (directory / name).is_file():
                raise PipelineError(f"no {name} in {directory}: {why}")
        meta = _read_meta(directory / META_FILE)
        if expect_fs is not None and float(expect_fs) != meta["fs"]:
            raise PipelineError(
                f"pipeline in {directory} was trained at {meta['fs']:g} Hz, not {expect_fs:g} Hz"
            )
        try:
            normaliser = Normaliser.load(directory / NORMALISER_FILE)
        except ValueError as error:
            raise PipelineError(str(error)) from None
        try:
            model = keras.models.load_model(directory / MODEL_FILE)
        except Exception as error:  # Keras says "File not found" for a damaged archive
            raise PipelineError(
                f"{directory / MODEL_FILE} cannot be read as a Keras model, it is damaged "
                f"({type(error).__name__}): save the pipeline again"
            ) from None
        return cls(model=model, normaliser=normaliser, fs=meta["fs"], classes=meta["classes"])


def _read_meta(path: Path) -> dict[str, Any]:
    """``pipeline.json`` checked: a positive finite ``fs`` and a list of class names."""
    try:
        meta = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise PipelineError(f"{path} is not valid JSON (damaged or cut short?): {error}") from None
    if not isinstance(meta, dict):
        raise PipelineError(f"{path} must hold a JSON object, not {type(meta).__name__}")
    fs, classes = meta.get("fs"), meta.get("classes")
    if isinstance(fs, bool) or not isinstance(fs, int | float) or not (np.isfinite(fs) and fs > 0):
        raise PipelineError(f"{path}: 'fs' must be a positive sampling rate in Hz, got {fs!r}")
    if (
        not isinstance(classes, list)
        or len(classes) < 2
        or not all(isinstance(c, str) for c in classes)
    ):
        raise PipelineError(f"{path}: 'classes' must list two or more class names, got {classes!r}")
    return {"fs": float(fs), "classes": tuple(classes)}
