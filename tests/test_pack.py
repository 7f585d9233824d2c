import json
import shutil

import numpy as np
import pytest

from ecgcourse.atomic import sha256_file as sha256
from ecgcourse.paths import PACK_DIR
from ecgcourse.records import load_annotations, load_record
from ecgcourse.tooling.pack import build_pack, pack_size_bytes, verify_pack

SMALL_SPEC = {
    "mitdb": [{"record": "208", "leads": ["MLII"], "minutes": 2, "choose": "most_ectopic"}],
    "nstdb": [{"record": "ma", "leads": None, "start_s": 60, "minutes": 1}],
    "ludb": [{"record": "7", "leads": ["ii"]}],
}


def test_committed_pack_matches_its_manifest_and_budget():
    assert verify_pack(PACK_DIR) == []
    assert pack_size_bytes(PACK_DIR) <= 30 * 1024 * 1024
    manifest = json.loads((PACK_DIR / "MANIFEST.json").read_text())
    assert len(manifest["databases"]["mitdb"]["records"]) == 44
    assert "ODC-By" in (PACK_DIR / "ATTRIBUTION.md").read_text()


def test_build_from_a_fixture_writes_a_verifiable_pack(tmp_path):
    # The committed pack has the layout of full databases, so it serves as a small source.
    out = tmp_path / "pack"
    manifest = build_pack(PACK_DIR, out, spec=SMALL_SPEC, extra_files={"ludb": ["ludb.csv"]})
    assert verify_pack(out) == []
    entry = manifest["databases"]["mitdb"]["records"][0]
    assert entry["to_s"] - entry["from_s"] == 120
    assert entry["files"]["208.dat"] == sha256(out / "mitdb" / "208.dat")
    assert manifest["databases"]["ludb"]["version"] == "1.0.1"
    rec = load_record("mitdb", "208", data_dir=out)
    source = load_record("mitdb", "208")
    start = int(entry["from_s"] * 360)
    assert (rec.signal[:, 0] == source.signal[start : start + 43200, 0]).all(), "values unchanged"
    ann = load_annotations("mitdb", "208", data_dir=out)
    assert ann.sample.max() < 43200 and "V" in set(ann.symbol)
    assert load_annotations("ludb", "7", extension="ii", data_dir=out).symbol.size > 0


def test_verify_reports_a_changed_and_a_stray_file(tmp_path):
    out = tmp_path / "pack"
    build_pack(PACK_DIR, out, spec=SMALL_SPEC, extra_files={})
    (out / "mitdb" / "208.atr").write_bytes(b"tampered")
    (out / "mitdb" / "extra.txt").write_text("?")
    problems = verify_pack(out)
    assert any("208.atr does not match" in p for p in problems)
    assert any("extra.txt is in the pack but not in the manifest" in p for p in problems)


def test_failed_build_leaves_no_half_written_pack(tmp_path):
    out = tmp_path / "pack"
    spec = {"mitdb": [{"record": "208", "leads": ["MLII"], "minutes": 1}, {"record": "999"}]}
    with pytest.raises(FileNotFoundError, match="mitdb/999"):
        build_pack(PACK_DIR, out, spec=spec)
    assert list(tmp_path.iterdir()) == [], "nothing left behind"


def test_failed_rebuild_keeps_the_previous_pack(tmp_path):
    out = tmp_path / "pack"
    build_pack(PACK_DIR, out, spec=SMALL_SPEC, extra_files={})
    with pytest.raises(FileNotFoundError):
        build_pack(PACK_DIR, out, spec={"ludb": [{"record": "0"}]})
    assert verify_pack(out) == []
    shutil.rmtree(out)


def test_nstdb_119_holds_enough_v_beats_in_its_noisy_stretches():
    # The noise stress test of notebook 10 scores V beats on 119e*: the pack's cut must hold
    # enough of them in the stretches nstdb made noisy (its annotations are 119's).
    from ecgcourse.labels import aami_labels, is_beat
    from ecgcourse.noise import nstdb_noise_on
    from ecgcourse.records import cut_start_s
    from ecgcourse.tooling.pack import NSTDB_NOISY_119

    for name in NSTDB_NOISY_119:
        rec, ann = load_record("nstdb", name), load_annotations("nstdb", name)
        beat = np.array([is_beat(s) for s in ann.symbol])
        at_s = ann.sample[beat] / rec.fs + cut_start_s(rec.comments, rec.fs)
        is_v = aami_labels(ann.symbol[beat]) == "V"
        assert int(np.sum(is_v & nstdb_noise_on(at_s))) >= 90, name


def test_readme_states_the_pack_size():
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    stated = re.search(r"## The course pack \(`data/pack`, (\d+) MB\)", readme)
    assert stated, "the README's course-pack heading gives the pack's size"
    assert int(stated.group(1)) == round(pack_size_bytes(PACK_DIR) / 1e6)


def test_the_pack_holds_n_s_and_v_beats_in_ds1_and_in_ds2():
    # A fact about the data that notebooks 1-5 rely on (it was a closing check of notebook 1).
    from collections import Counter

    from ecgcourse.labels import aami_labels, is_beat
    from ecgcourse.splits import ds1_ds2

    for part in ds1_ds2():
        counts = Counter()
        for name in part:
            symbols = load_annotations("mitdb", name).symbol
            counts.update(aami_labels([s for s in symbols if is_beat(s)]))
        assert all(counts[c] > 100 for c in "NSV"), counts
