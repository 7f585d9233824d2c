"""RR intervals and beat sets on records with too few beats to have an RR interval."""

import numpy as np
import pytest

from ecgcourse import beats
from ecgcourse.beats import load_beats, rr_intervals_ms
from ecgcourse.records import Annotations


@pytest.mark.parametrize("samples", [[], [360]], ids=["no beat", "one beat"])
def test_rr_intervals_need_two_beats(samples):
    with pytest.raises(ValueError, match=f"at least two beats, got {len(samples)}"):
        rr_intervals_ms(np.array(samples, dtype=np.int64), fs=360)


def test_rr_intervals_of_two_beats_are_that_one_interval():
    rr = rr_intervals_ms(np.array([0, 360]), fs=360)
    assert rr.tolist() == [[1000.0] * 4, [1000.0] * 4]


def test_load_beats_names_the_record_with_one_beat(monkeypatch):
    def one_beat(database, name, **kwargs):
        one = np.array([1000])
        return Annotations(database, name, "atr", one, np.array(["N"]), np.array([""]), 360.0)

    monkeypatch.setattr(beats, "load_annotations", one_beat)
    with pytest.raises(ValueError, match=r"record mitdb/100 has 1 annotated beat.*two beats"):
        load_beats(["100"])


def test_beats_from_signal_is_load_beats_on_any_recording():
    from ecgcourse.beats import beats_from_signal
    from ecgcourse.records import load_annotations, load_record

    rec, ann = load_record("mitdb", "100", leads=["MLII"]), load_annotations("mitdb", "100")
    by_file = load_beats(["100"])
    by_signal = beats_from_signal(
        rec.lead("MLII"), rec.fs, samples=ann.sample, symbols=ann.symbol, record="100"
    )
    for field in ("X", "label", "record", "r_peak", "rr"):
        assert np.array_equal(getattr(by_file, field), getattr(by_signal, field)), field
