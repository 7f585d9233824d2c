import numpy as np
import pytest

from ecgcourse import COURSE_FS
from ecgcourse.minutes import load_minutes, v_beat_samples


def test_minutes_carry_the_v_beats_annotated_inside_them():
    minutes = load_minutes(["119", "100"], minutes_per_record=2)
    width = int(60 * COURSE_FS)
    assert minutes.raw.shape == minutes.clean.shape == (4, width)
    assert list(minutes.record) == ["119", "119", "100", "100"]
    assert list(minutes.start) == [0, width, 0, width]
    v_at = v_beat_samples("119")
    assert minutes.v_count[0] == np.sum(v_at < width)
    assert minutes.y.dtype == np.int64 and set(minutes.y) <= {0, 1}
    assert minutes.v_count[minutes.record == "119"].sum() > 0  # 119 has V beats early on


def test_minutes_refuse_a_partial_count():
    with pytest.raises(ValueError, match="minutes_per_record"):
        load_minutes(["100"], minutes_per_record=0.5)
