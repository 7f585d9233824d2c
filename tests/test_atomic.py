"""Atomic writes: a reader, or a crash, sees the old version or the new one, never half."""

from pathlib import Path

import pytest

from ecgcourse.atomic import replace_dir


def _folder(path: Path, files: dict[str, str]) -> None:
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_text(text)


def _contents(path: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in path.iterdir()}


def test_replace_dir_replaces_the_whole_folder_and_leaves_nothing_hidden(tmp_path):
    target = tmp_path / "out"
    with replace_dir(target) as staging:  # no old folder yet
        (staging / "a.txt").write_text("first")
    assert _contents(target) == {"a.txt": "first"}
    with replace_dir(target) as staging:
        (staging / "b.txt").write_text("second")
    assert _contents(target) == {"b.txt": "second"}, "old files must not survive"
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "no hidden staging or old folder"


def test_a_failing_block_leaves_the_old_folder(tmp_path):
    target = tmp_path / "out"
    _folder(target, {"a.txt": "old"})
    with pytest.raises(RuntimeError, match="boom"), replace_dir(target) as staging:
        (staging / "half.txt").write_text("half")
        raise RuntimeError("boom")
    assert _contents(target) == {"a.txt": "old"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_when_renaming_the_new_folder_in_fails_the_old_one_stays(tmp_path, monkeypatch):
    target = tmp_path / "out"
    _folder(target, {"a.txt": "old", "b.txt": "old too"})
    real_rename = Path.rename
    failed = []

    def rename(self, dest):
        if Path(dest) == target and not failed:  # the rename of the new folder in
            failed.append(self)
            raise OSError("disk gone")
        return real_rename(self, dest)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="disk gone"), replace_dir(target) as staging:
        (staging / "new.txt").write_text("new")
    assert failed, "the test must have hit the rename of the staging folder"
    assert _contents(target) == {"a.txt": "old", "b.txt": "old too"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "no hidden folder left behind"
