"""ecgcourse.upstream: a pipeline whose notebook did not pass its checks is refused by name."""

import json

import pytest

from ecgcourse.upstream import (
    LESSON_FILE,
    FailedLessonError,
    lesson_passed,
    mark_lesson_passed,
    require_passed_lesson,
)


def _pipeline(tmp_path):
    folder = tmp_path / "models" / "v_detector"
    folder.mkdir(parents=True)
    (folder / "pipeline.json").write_text("{}")
    return folder


def test_a_marked_pipeline_is_accepted(tmp_path):
    folder = _pipeline(tmp_path)
    mark_lesson_passed(folder, "08_calibration", checks=["temperature", "saturated_fraction_after"])
    mark = require_passed_lesson(folder)
    assert mark["notebook"] == "08_calibration"
    assert mark["checks"] == ["saturated_fraction_after", "temperature"]


def test_an_unmarked_pipeline_is_refused_unless_allowed(tmp_path):
    folder = _pipeline(tmp_path)
    with pytest.raises(FailedLessonError, match="notebook 8 .*use_failed_pipeline"):
        require_passed_lesson(folder)
    assert require_passed_lesson(folder, allow_failed=True) is None


def test_a_mark_that_does_not_say_passed_counts_as_none(tmp_path):
    folder = _pipeline(tmp_path)
    (folder / LESSON_FILE).write_text(json.dumps({"passed": False}))
    assert lesson_passed(folder) is None


def test_marking_needs_a_saved_pipeline_and_named_checks(tmp_path):
    with pytest.raises(FileNotFoundError, match="save the pipeline"):
        mark_lesson_passed(tmp_path, "08_calibration", checks=["temperature"])
    with pytest.raises(ValueError, match="empty list"):
        mark_lesson_passed(_pipeline(tmp_path), "08_calibration", checks=[])


def test_a_new_save_removes_the_mark(tmp_path):
    import keras
    import numpy as np

    from ecgcourse.normalise import Normaliser
    from ecgcourse.pipeline import BeatPipeline

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    pipeline = BeatPipeline(
        model, Normaliser("per_window", fs=250).fit(np.ones((2, 4))), fs=250, classes=("a", "b")
    )
    folder = pipeline.save(tmp_path / "v_detector")
    mark_lesson_passed(folder, "08_calibration", checks=["temperature"])
    assert lesson_passed(folder)
    pipeline.save(folder)
    assert lesson_passed(folder) is None


def test_a_pipeline_built_with_an_answer_that_failed_its_check_is_not_marked(tmp_path):
    from ecgcourse import checks
    from ecgcourse.training import written_or

    folder = _pipeline(tmp_path)

    def fit_temperature(z, y):  # a handout's stub
        raise NotImplementedError

    def most_confident(z, n):  # written, its check failed, used all the same
        return None

    written_or(fit_temperature, lambda z, y: 1.5)([1.0], [1])
    written_or(most_confident, lambda z, n: None)([1.0], 1)
    checks.exercise_passed("log_loss_logits")
    status = checks.exercise_status(["log_loss_logits", "fit_temperature", "most_confident"])
    assert (
        status["fit_temperature"] == checks.STOOD_IN and status["log_loss_logits"] == checks.PASSED
    )
    with pytest.raises(FailedLessonError, match="most_confident failed"):
        mark_lesson_passed(folder, "08_calibration", checks=["temperature"], exercises=status)
    assert lesson_passed(folder) is None
    del status["most_confident"]
    mark_lesson_passed(folder, "08_calibration", checks=["temperature"], exercises=status)
    assert lesson_passed(folder)["exercises"] == status
