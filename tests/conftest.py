import pytest

from ecgcourse.paths import DATA_DIR_ENV


@pytest.fixture(autouse=True)
def _pack_only(monkeypatch):
    """Tests read the committed course pack unless they set a data directory themselves."""
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
