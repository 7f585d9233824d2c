"""Build and verify the course pack: genuine WFDB records cut from full PhysioNet databases.

The pack is what every notebook reads offline by default. It is rebuilt from any
directory of full databases (``mitdb/``, ``ludb/``, ``nstdb/``) with::

    python -m ecgcourse pack --source DIR [--out data/pack]

and carries a ``MANIFEST.json`` (source database and version, record, leads, what was cut,
sha256 of every file) and ``ATTRIBUTION.md`` (ODC-By 1.0 attribution).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import wfdb

from ecgcourse.atomic import replace_dir, sha256_file
from ecgcourse.labels import SYMBOL_TO_AAMI
from ecgcourse.splits import DS1, DS2

SOURCES: dict[str, dict[str, str]] = {
    "mitdb": {"title": "MIT-BIH Arrhythmia Database", "version": "1.0.0"},
    "ludb": {
        "title": "Lobachevsky University Electrocardiography Database",
        "version": "1.0.1",
    },
    "nstdb": {"title": "MIT-BIH Noise Stress Test Database", "version": "1.0.0"},
}

ATTRIBUTION = """\
# Attribution

The records in this pack are cut, unchanged in value, from PhysioNet databases released
under the Open Data Commons Attribution License v1.0 (ODC-By 1.0). Cite:

- Goldberger A. et al. PhysioBank, PhysioToolkit, and PhysioNet: components of a new
  research resource for complex physiologic signals. Circulation 101(23), 2000.
- Moody G.B., Mark R.G. The impact of the MIT-BIH Arrhythmia Database.
  IEEE Eng in Med and Biol 20(3), 2001. (mitdb)
- Kalyakulina A.I. et al. LUDB: A New Open-Access Validation Tool for Electrocardiogram
  Delineation Algorithms. IEEE Access 8, 2020. (ludb)
- Moody G.B., Muldrow W.E., Mark R.G. A noise stress test for arrhythmia detectors.
  Computers in Cardiology 11, 1984. (nstdb)

What was cut from which record is listed in MANIFEST.json.
"""

NSTDB_SNR_TAGS = ("24", "12", "00", "_6")  # nstdb's names for 24, 12, 0 and -6 dB
NSTDB_NOISY = tuple(f"118e{t}" for t in NSTDB_SNR_TAGS)
NSTDB_NOISY_119 = tuple(f"119e{t}" for t in NSTDB_SNR_TAGS)

PACK_SPEC: dict[str, list[dict[str, Any]]] = {
    # All 44 non-paced MIT-BIH records (DS1 and DS2), lead MLII, the 10 minutes richest
    # in ectopic beats so the minority classes survive the cut.
    "mitdb": [
        {"record": r, "leads": ["MLII"], "minutes": 10, "choose": "most_ectopic"}
        for r in sorted(DS1 + DS2)
    ],
    # Records 118 and 119 with noise at four SNRs: noise starts at 5:00 and alternates 2 min
    # on, 2 min off. 118's 4:00-12:00 holds clean and noisy stretches (its RBBB beats);
    # 119's 4:00-20:00 holds four noisy stretches with about 100 V beats (bigeminy), so
    # V sensitivity under noise rests on enough beats. bw and ma are pure noise.
    "nstdb": [{"record": r, "leads": ["MLII"], "start_s": 240, "minutes": 8} for r in NSTDB_NOISY]
    + [{"record": r, "leads": ["MLII"], "start_s": 240, "minutes": 16} for r in NSTDB_NOISY_119]
    + [{"record": r, "leads": None, "start_s": 240, "minutes": 8} for r in ("bw", "ma")],
    # All 200 LUDB records, 10 s, three of the twelve leads with their delineations.
    "ludb": [{"record": str(r), "leads": ["ii", "v1", "v5"]} for r in range(1, 201)],
}
EXTRA_FILES: dict[str, list[str]] = {"ludb": ["ludb.csv"]}
ECTOPIC_WEIGHT = {"S": 4, "F": 2, "V": 1}
MANIFEST_FILE = "MANIFEST.json"
"""What makes a folder a course pack (and so one that ``pack --out`` may replace)."""


def _source_path(db_dir: Path, record: str) -> Path:
    for candidate in (db_dir / record, db_dir / "data" / record):
        if candidate.with_suffix(".hea").is_file():
            return candidate
    raise FileNotFoundError(f"record {db_dir.name}/{record} not found under {db_dir}")


def _annotators(path: Path, leads: list[str] | None) -> list[str]:
    if (path.parent / f"{path.name}.atr").is_file():
        return ["atr"]
    return [lead for lead in leads or [] if (path.parent / f"{path.name}.{lead}").is_file()]


def _most_ectopic_window(path: Path, n_samples: int, fs: float, minutes: float) -> int:
    """First sample of the ``minutes``-long stretch (on whole minutes) richest in ectopic beats."""
    ann = wfdb.rdann(str(path), "atr")
    width = int(minutes * 60 * fs)
    weights = np.array([ECTOPIC_WEIGHT.get(SYMBOL_TO_AAMI.get(s, ""), 0) for s in ann.symbol])
    best_start, best_score = 0, -1
    for start in range(0, max(n_samples - width, 0) + 1, int(60 * fs)):
        inside = (ann.sample >= start) & (ann.sample < start + width)
        score = int(weights[inside].sum())
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def _cut_record(src: Path, out_dir: Path, item: Mapping[str, Any]) -> dict[str, Any]:
    header = wfdb.rdheader(str(src))
    fs, n_total = float(header.fs), int(header.sig_len)
    minutes = item.get("minutes")
    width = n_total if minutes is None else min(int(minutes * 60 * fs), n_total)
    if item.get("choose") == "most_ectopic":
        start = _most_ectopic_window(src, n_total, fs, minutes)
    else:
        start = min(int(item.get("start_s", 0) * fs), n_total - width)
    stop = start + width
    leads = item.get("leads")
    rec = wfdb.rdrecord(str(src), sampfrom=start, sampto=stop, channel_names=leads, physical=False)
    name = src.name
    note = f"ecgcourse pack: samples {start}-{stop} of {n_total} "  # read by records.CUT_NOTE
    note += f"({start / fs:.0f}-{stop / fs:.0f} s)"
    wfdb.wrsamp(
        name,
        fs=rec.fs,
        units=rec.units,
        sig_name=rec.sig_name,
        d_signal=rec.d_signal,
        fmt=rec.fmt,
        adc_gain=rec.adc_gain,
        baseline=rec.baseline,
        comments=list(rec.comments or []) + [note],
        write_dir=str(out_dir),
    )
    annotators = _annotators(src, rec.sig_name)
    for ext in annotators:
        ann = wfdb.rdann(str(src), ext, sampfrom=start, sampto=stop - 1, shift_samps=True)
        sample = np.asarray(ann.sample, dtype=np.int64)
        symbol, aux = list(ann.symbol), list(ann.aux_note)
        subtype, chan, num = list(ann.subtype), list(ann.chan), list(ann.num)
        if ext == "atr" and start > 0:
            # Carry the rhythm in force at the cut into sample 0, as a '+' mark.
            full = wfdb.rdann(str(src), ext, sampto=start)
            rhythm = [a for s, a in zip(full.symbol, full.aux_note) if s == "+"]
            if rhythm and not (len(sample) and sample[0] == 0 and symbol[0] == "+"):
                sample = np.concatenate([[0], sample])
                symbol, aux = ["+"] + symbol, [rhythm[-1]] + aux
                subtype, chan, num = [0] + subtype, [0] + chan, [0] + num
        # wfdb.wrann accepts letters-only extensions; LUDB's lead files are .v1 ... .v6.
        wfdb.wrann(
            name,
            "packtmp",
            sample=sample,
            symbol=symbol,
            subtype=np.asarray(subtype),
            chan=np.asarray(chan),
            num=np.asarray(num),
            aux_note=aux,
            fs=rec.fs,
            write_dir=str(out_dir),
        )
        (out_dir / f"{name}.packtmp").rename(out_dir / f"{name}.{ext}")
    files = sorted(p.name for p in out_dir.iterdir() if p.name.split(".")[0] == name)
    return {
        "record": name,
        "leads": list(rec.sig_name),
        "fs": rec.fs,
        "from_s": round(start / fs, 3),
        "to_s": round(stop / fs, 3),
        "source_duration_s": round(n_total / fs, 3),
        "annotators": annotators,
        "files": {f: sha256_file(out_dir / f) for f in files},
    }


def build_pack(
    source_dir: str | Path,
    out_dir: str | Path,
    spec: Mapping[str, list[Mapping[str, Any]]] = PACK_SPEC,
    extra_files: Mapping[str, list[str]] = EXTRA_FILES,
) -> dict[str, Any]:
    """Cut the records in ``spec`` from ``source_dir`` into ``out_dir``; returns the manifest.

    The pack is written to a temporary directory and moved into place only when complete,
    so a failed build never leaves a half-written pack.
    """
    source_dir, out_dir = Path(source_dir).expanduser(), Path(out_dir).expanduser()
    if not source_dir.is_dir():
        raise FileNotFoundError(f"--source {source_dir} is not a folder of full databases")
    source, out = source_dir.resolve(), out_dir.resolve()
    if out == source or source in out.parents:
        raise ValueError(
            f"--out {out_dir} is inside --source {source_dir}: the pack would replace the "
            "databases it is cut from; write it elsewhere"
        )
    if out in source.parents:
        raise ValueError(f"--out {out_dir} holds --source {source_dir}: write the pack elsewhere")
    with replace_dir(out_dir, MANIFEST_FILE) as staging:
        manifest: dict[str, Any] = {
            "description": "ecgcourse course pack: genuine PhysioNet WFDB records, cut",
            "licence": "ODC-By 1.0 (see ATTRIBUTION.md)",
            "built_with": {"wfdb": wfdb.__version__},
            "databases": {},
        }
        for db, items in spec.items():
            db_out = staging / db
            db_out.mkdir()
            entries = [_cut_record(_source_path(source_dir / db, it["record"]), db_out, it)
                       for it in items]  # fmt: skip
            (db_out / "RECORDS").write_text("".join(f"{e['record']}\n" for e in entries))
            extras = {}
            for fname in extra_files.get(db, []):
                if (source_dir / db / fname).is_file():
                    shutil.copyfile(source_dir / db / fname, db_out / fname)
                    extras[fname] = sha256_file(db_out / fname)
            extras["RECORDS"] = sha256_file(db_out / "RECORDS")
            manifest["databases"][db] = {
                **SOURCES[db],
                "source": f"https://physionet.org/content/{db}/{SOURCES[db]['version']}/",
                "records": entries,
                "other_files": extras,
            }
        (staging / "ATTRIBUTION.md").write_text(ATTRIBUTION)
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def verify_pack(pack_dir: str | Path) -> list[str]:
    """Problems found when checking a pack against its manifest (empty list: all good)."""
    pack_dir = Path(pack_dir)
    manifest_path = pack_dir / MANIFEST_FILE
    if not manifest_path.is_file():
        return [f"{manifest_path} is missing: rebuild with `python -m ecgcourse pack --source DIR`"]
    try:
        manifest = json.loads(manifest_path.read_text())
        databases = dict(manifest["databases"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        return [f"{manifest_path} is damaged ({type(error).__name__}: {error})"]
    problems, listed = [], set()
    for db, info in databases.items():
        expected = dict(info.get("other_files", {}))
        for entry in info["records"]:
            expected.update(entry["files"])
        for fname, digest in expected.items():
            path = pack_dir / db / fname
            listed.add(path)
            if not path.is_file():
                problems.append(f"{db}/{fname} is listed in the manifest but missing")
            elif sha256_file(path) != digest:
                problems.append(f"{db}/{fname} does not match its sha256 in the manifest")
    for path in sorted(pack_dir.glob("*/*")):
        if path not in listed:
            problems.append(f"{path.relative_to(pack_dir)} is in the pack but not in the manifest")
    return problems


def pack_size_bytes(pack_dir: str | Path) -> int:
    """Total size of the pack's files in bytes."""
    return sum(p.stat().st_size for p in Path(pack_dir).rglob("*") if p.is_file())
