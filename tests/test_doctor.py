import shutil
from importlib.metadata import PackageNotFoundError

from packaging.requirements import Requirement

from ecgcourse.__main__ import main
from ecgcourse.paths import PACK_DIR
from ecgcourse.tooling.doctor import (
    check_data_dir,
    check_devices,
    check_pack,
    check_packages,
    check_python,
    pinned_requirements,
    report,
)


def installed(versions):
    """A stand-in for importlib.metadata.version with these packages installed."""

    def version_of(name):
        if name not in versions:
            raise PackageNotFoundError(name)
        return versions[name]

    return version_of


def test_doctor_passes_on_this_install(capsys):
    assert main(["doctor"]) == 0
    assert "all good" in capsys.readouterr().out


def test_wrong_tensorflow_version_names_the_pin():
    reqs = [Requirement("tensorflow-cpu==2.21.*"), Requirement("wfdb==4.3.*")]
    versions = {"tensorflow-cpu": "2.16.1", "wfdb": "4.3.1"}
    tf, wfdb = check_packages(reqs, version_of=installed(versions))
    assert not tf.ok and "2.16.1" in tf.detail
    assert "pip install 'tensorflow-cpu==2.21.*'" in tf.fix
    assert wfdb.ok


def test_either_tensorflow_satisfies_the_pin_but_not_both():
    req = [Requirement("tensorflow-cpu==2.21.*")]
    (gpu,) = check_packages(req, version_of=installed({"tensorflow": "2.21.0"}))
    assert gpu.ok and gpu.name == "tensorflow" and "2.21.0" in gpu.detail
    both = {"tensorflow": "2.21.0", "tensorflow-cpu": "2.21.0"}
    (clash,) = check_packages(req, version_of=installed(both))
    assert not clash.ok and "both installed" in clash.detail
    assert "pip uninstall -y tensorflow tensorflow-cpu" in clash.fix


def test_devices_names_the_tensorflow_and_its_devices():
    check = check_devices()
    assert check.ok and "TensorFlow 2.21" in check.detail and "CPU" in check.detail


def test_missing_package_says_how_to_install_it():
    def absent(name):
        raise PackageNotFoundError(name)

    (check,) = check_packages([Requirement("papermill==2.7.*")], version_of=absent)
    assert not check.ok and check.fix == "pip install 'papermill==2.7.*'"


def test_pins_come_from_pyproject():
    names = {r.name for r in pinned_requirements()}
    assert {"keras", "wfdb", "papermill"} <= names
    assert ("tensorflow-cpu" in names) != ("tensorflow" in names), "one TensorFlow per platform"


def test_missing_pack_file_and_wrong_checksum(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(PACK_DIR, pack)
    assert check_pack(pack).ok
    (pack / "mitdb" / "100.atr").unlink()
    (pack / "ludb" / "1.dat").write_bytes(b"\0" * 10)
    check = check_pack(pack)
    assert not check.ok
    assert "mitdb/100.atr is listed in the manifest but missing" in check.detail
    assert "ludb/1.dat does not match its sha256" in check.detail
    assert "git checkout -- data/pack" in check.fix
    assert "PROBLEM course pack" in report([check])


def test_incomplete_data_dir_names_missing_records_and_fetch_command(tmp_path):
    (tmp_path / "mitdb").mkdir()
    for ext in ("hea", "dat", "atr"):
        shutil.copy(PACK_DIR / "mitdb" / f"100.{ext}", tmp_path / "mitdb" / f"100.{ext}")
    checks = {c.name: c for c in check_data_dir(tmp_path)}
    mitdb = checks["full data: mitdb"]
    assert not mitdb.ok and "1 of 44" in mitdb.detail and "101.hea" in mitdb.detail
    assert mitdb.fix == f"python -m ecgcourse fetch mitdb --data-dir {tmp_path}"
    assert check_data_dir(None)[0].ok, "no data dir is fine: the pack is used"


def test_python_outside_3_11_to_3_13_is_a_problem():
    assert all(check_python(v).ok for v in ((3, 11), (3, 12), (3, 13)))
    for version in ((3, 9), (3, 10), (3, 14)):
        assert not check_python(version).ok and "python3.13" in check_python(version).fix
