"""Atomic writes: a reader, or a crash, sees the old version or the new one, never half; and
nothing the course did not write is deleted or overwritten."""

import json
from pathlib import Path

import pytest

from ecgcourse.atomic import (
    LEDGER_FILE,
    PARTIAL,
    NotOursError,
    replace_dir,
    write_files_once,
)

MARK = "made-by-course.json"


def _folder(path: Path, files: dict[str, str]) -> None:
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_text(text)


def _contents(path: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in path.iterdir()}


def test_replace_dir_replaces_the_whole_folder_and_leaves_nothing_hidden(tmp_path):
    target = tmp_path / "out"
    with replace_dir(target, MARK) as staging:  # no old folder yet
        (staging / MARK).write_text("first")
    assert _contents(target) == {MARK: "first"}
    with replace_dir(target, MARK) as staging:
        (staging / MARK).write_text("second")
        (staging / "b.txt").write_text("b")
    assert _contents(target) == {MARK: "second", "b.txt": "b"}
    with replace_dir(target, MARK) as staging:
        (staging / MARK).write_text("third")
    assert _contents(target) == {MARK: "third"}, "old files of ours must not survive"
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "no hidden staging or old folder"


@pytest.mark.parametrize(
    "make, why",
    [
        (lambda t: _folder(t, {"notes.txt": "mine"}), f"has no {MARK}"),
        (lambda t: t.write_text("a file of mine"), "is not a folder"),
    ],
)
def test_replace_dir_refuses_what_the_course_did_not_write(tmp_path, make, why):
    target = tmp_path / "out"
    make(target)
    before = target.read_text() if target.is_file() else _contents(target)
    ran = []
    with pytest.raises(NotOursError, match=why), replace_dir(target, MARK) as staging:
        ran.append(staging)
    assert not ran, "refused before the block runs"
    assert (target.read_text() if target.is_file() else _contents(target)) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_empty_folder_may_be_replaced_and_the_block_must_write_the_marker(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(RuntimeError, match=f"has no {MARK}"), replace_dir(target, MARK) as staging:
        (staging / "other.txt").write_text("x")
    assert target.is_dir() and not any(target.iterdir())
    with replace_dir(target, MARK) as staging:
        (staging / MARK).write_text("ok")
    assert _contents(target) == {MARK: "ok"}


def test_a_failing_block_leaves_the_old_folder(tmp_path):
    target = tmp_path / "out"
    _folder(target, {MARK: "old"})
    with pytest.raises(RuntimeError, match="boom"), replace_dir(target, MARK) as staging:
        (staging / "half.txt").write_text("half")
        raise RuntimeError("boom")
    assert _contents(target) == {MARK: "old"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_when_renaming_the_new_folder_in_fails_the_old_one_stays(tmp_path, monkeypatch):
    target = tmp_path / "out"
    _folder(target, {MARK: "old", "b.txt": "old too"})
    real_rename = Path.rename
    failed = []

    def rename(self, dest):
        if Path(dest) == target and not failed:  # the rename of the new folder in
            failed.append(self)
            raise OSError("disk gone")
        return real_rename(self, dest)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="disk gone"), replace_dir(target, MARK) as staging:
        (staging / MARK).write_text("new")
    assert failed, "the test must have hit the rename of the staging folder"
    assert _contents(target) == {MARK: "old", "b.txt": "old too"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "no hidden folder left behind"


def test_a_killed_run_is_tidied_by_the_next_one(tmp_path):
    """A kill leaves a staging folder, or the old folder renamed aside: the next run for the
    same target removes the first and brings the second back; other folders are not touched."""
    target = tmp_path / "out"
    _folder(tmp_path / f".out{PARTIAL}abc", {"half.txt": "half"})  # killed while writing
    _folder(tmp_path / f".out{PARTIAL}def-old", {MARK: "old"})  # killed between the renames
    _folder(tmp_path / ".other-folder", {"keep.txt": "mine"})
    with pytest.raises(NotOursError), replace_dir(target, "another-marker.json"):
        pass
    assert _contents(target) == {MARK: "old"}, "the old folder came back"
    with replace_dir(target, MARK) as staging:
        (staging / MARK).write_text("new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other-folder", "out"]
    assert _contents(target) == {MARK: "new"}


def test_write_files_once_never_overwrites_a_file_it_did_not_write(tmp_path):
    folder = tmp_path / "handouts"
    assert write_files_once(folder, {"a.ipynb": b"v1", "b.ipynb": b"v1"}) == {
        "a.ipynb": "written",
        "b.ipynb": "written",
    }
    # Ours and unchanged: may be replaced by a newer version; identical: nothing to do.
    assert write_files_once(folder, {"a.ipynb": b"v2", "b.ipynb": b"v1"}) == {
        "a.ipynb": "written",
        "b.ipynb": "unchanged",
    }
    (folder / "a.ipynb").write_bytes(b"the student's work")
    (folder / "c.ipynb").write_bytes(b"not ours")
    with pytest.raises(NotOursError, match=r"2 file\(s\).*a.ipynb.*c.ipynb"):
        write_files_once(folder, {"a.ipynb": b"v3", "b.ipynb": b"v3", "c.ipynb": b"v3"})
    assert (folder / "a.ipynb").read_bytes() == b"the student's work"
    assert (folder / "b.ipynb").read_bytes() == b"v1", "nothing written when one is refused"
    assert (folder / "c.ipynb").read_bytes() == b"not ours"
    assert sorted(json.loads((folder / LEDGER_FILE).read_text())) == ["a.ipynb", "b.ipynb"]


def test_write_files_once_runs_again_after_a_kill(tmp_path):
    folder = tmp_path / "handouts"
    folder.mkdir()
    (folder / "a.ipynb").write_bytes(b"v1")  # written, then killed before the ledger
    (folder / ".b.ipynb.x1y2z3.tmp").write_bytes(b"v")  # killed while writing b
    assert write_files_once(folder, {"a.ipynb": b"v1", "b.ipynb": b"v1"}) == {
        "a.ipynb": "unchanged",
        "b.ipynb": "written",
    }
    assert sorted(p.name for p in folder.iterdir()) == [LEDGER_FILE, "a.ipynb", "b.ipynb"]
