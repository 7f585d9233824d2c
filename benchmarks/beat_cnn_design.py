"""Notebook 5's design table, on DS1 only: every design scored out of fold over
patient-grouped, class-stratified folds of the DS1 patients. DS2 is never loaded.

    python benchmarks/beat_cnn_design.py [--data-dir DIR] [--folds 4] [--epochs 12]

writes ``build/benchmarks/beat_cnn_design-seed<N>.json`` (every number of this seed) and
``build/benchmarks/beat_cnn_design.md``: the table over every seed run so far with the same
data and settings (mean ± SD), with machine and date. For each design: the epoch with the
best pooled out-of-fold mean F1 over S and V (argmax decisions), its scores, and the scores
with S and V alarm thresholds cross-fitted on the other folds (``ecgcourse.thresholds``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from seed_tables import mean_sd_table, save_run, seeds_of  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import cross_val_predict  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from ecgcourse.atomic import write_text_atomic  # noqa: E402
from ecgcourse.beat_inputs import CHOSEN_DESIGN, DESIGNS, design_inputs  # noqa: E402
from ecgcourse.beats import load_beats  # noqa: E402
from ecgcourse.features import beat_features  # noqa: E402
from ecgcourse.labels import class_index  # noqa: E402
from ecgcourse.scores import balanced_accuracy, per_class_scores  # noqa: E402
from ecgcourse.seeding import seed_everything  # noqa: E402
from ecgcourse.splits import ds1_ds2, group_kfold  # noqa: E402
from ecgcourse.thresholds import AlarmThresholds, cross_fitted  # noqa: E402
from ecgcourse.tooling.sweep import machine  # noqa: E402
from ecgcourse.training import out_of_fold  # noqa: E402

CLASSES = ("N", "S", "V", "F")


def macro_sv(y, pred) -> float:
    return float(f1_score(y, pred, labels=["S", "V"], average="macro", zero_division=0))


def summary(y, pred) -> dict[str, float]:
    s = per_class_scores(y, pred, CLASSES)
    return {
        "S Se": s["S"]["Se"], "S +P": s["S"]["+P"], "S F1": s["S"]["F1"],
        "V F1": s["V"]["F1"], "mean F1 S, V": macro_sv(y, pred),
        "balanced acc.": balanced_accuracy(y, pred),
    }  # fmt: skip


def table(runs: list[dict]) -> str:
    """The markdown table over ``runs`` (from :func:`seed_tables.save_run`), with its caption."""
    same = runs[-1]["settings"]
    newest = runs[-1]
    lines = [
        f"DS1 only, {same['folds']} patient-grouped stratified folds, {newest['data']}, "
        f"up to {same['epochs']} epochs; seeds {seeds_of(runs)} (mean ± SD over "
        f"seeds); {newest['machine']}; latest run {newest['date']}. Chosen: {CHOSEN_DESIGN}.",
        "",
    ]
    return "\n".join(lines + mean_sd_table(runs, "design", ("epoch", "seconds"))) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=None, help="folder holding mitdb/ (default: pack)")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="build/benchmarks/beat_cnn_design")
    args = parser.parse_args(argv)
    seed_everything(args.seed)

    ds1_records, _ = ds1_ds2()  # DS2 is not loaded
    beats = load_beats(ds1_records, data_dir=args.data_dir)
    beats = beats.subset(np.isin(beats.label, CLASSES))
    y = class_index(beats.label, CLASSES)
    rows: dict[str, dict[str, float]] = {}

    start = time.perf_counter()
    feats = beat_features(beats)
    folds = list(group_kfold(beats.record, beats.label, args.folds))
    baseline = make_pipeline(
        StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=1000)
    )
    pred = cross_val_predict(baseline, feats, beats.label, cv=folds)
    rows["logistic regression, notebook-4 features"] = {
        **summary(beats.label, pred), "epoch": float("nan"),
        "thresholded mean F1 S, V": float("nan"), "seconds": time.perf_counter() - start,
    }  # fmt: skip

    for name in DESIGNS:
        start = time.perf_counter()
        X, R = design_inputs(beats, name)
        oof = out_of_fold(
            X, R, y, beats.record, n_classes=len(CLASSES), n_folds=args.folds,
            epochs=args.epochs, seed=args.seed,
        )  # fmt: skip
        labels = np.array(CLASSES)
        per_epoch = [macro_sv(beats.label, labels[p.argmax(axis=1)]) for p in oof.proba]
        best = int(np.argmax(per_epoch))
        pred = labels[oof.proba[best].argmax(axis=1)]
        thresholded = cross_fitted(AlarmThresholds(CLASSES), oof.proba[best], beats.label, oof.fold)
        rows[name] = {
            **summary(beats.label, pred), "epoch": best + 1,
            "thresholded mean F1 S, V": macro_sv(beats.label, thresholded),
            "seconds": time.perf_counter() - start,
        }  # fmt: skip
        print(f"{name}: epoch {best + 1}, {rows[name]}", flush=True)

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    run = {
        "settings": {k: v for k, v in vars(args).items() if k != "out"},
        "data": f"{len(beats)} beats of {len(set(beats.record))} DS1 records "
        f"({'full MIT-BIH' if args.data_dir else 'course pack'})",
        "machine": machine(),  # CPU model and instruction sets: runs differ across CPUs
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "rows": rows,
    }
    markdown = table(save_run(out, run))
    write_text_atomic(out.with_suffix(".md"), markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
