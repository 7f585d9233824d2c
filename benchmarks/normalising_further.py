"""Notebook 2, going further: what a normaliser cannot fix (noise), statistics pooled over the
test patients, and story A's own model. Everything on DS1, out of fold.

    python benchmarks/normalising_further.py [--data-dir DIR] [--seed 0]

The setting is notebook 2's: DS1 beats (lead MLII, band-passed, 250 Hz), "is this beat V?",
three patient-wise folds (``group_kfold``, V-stratified), a one-hidden-layer network per
normaliser and fold, every DS1 beat predicted by a model that never saw its patient.
Balanced accuracy of V vs non-V, out of fold. Three tables:

1. **Noise**: real nstdb baseline wander (``bw``) and muscle noise (``ma``) added to every
   DS1 recording at nstdb's six SNRs (dB as nstdb defines them), for each normaliser.
2. **Statistics pooled over the test patients**: the held-out fold as recorded, all of it at
   gain x0.2, and half of its records at gain x0.2 (a clinic with two recorders), normalised
   with the training patients' z-score, with a z-score fitted on the held-out fold's beats
   (every test patient's statistics pooled: test-time adaptation), or with each recording's
   own z-score (the network trained on recordings normalised the same way).
3. **Story A's model**: ``Conv2D(U, (3, 1))`` over notebook 4's beat features divided by
   their training maximum, against the same Conv2D on the features in a shuffled order and a
   ``Dense(U)`` layer.

Writes ``build/benchmarks/normalising_{noise,pooled,story_a}-seed<N>.json`` and ``.md``
tables over every seed run so far with the same data and settings (mean ± SD).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from seed_tables import mean_sd_table, save_run, seeds_of  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import balanced_accuracy_score  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from ecgcourse.atomic import write_text_atomic  # noqa: E402
from ecgcourse.beats import load_beats  # noqa: E402
from ecgcourse.features import beat_features  # noqa: E402
from ecgcourse.normalise import METHODS, Normaliser  # noqa: E402
from ecgcourse.records import load_record  # noqa: E402
from ecgcourse.seeding import seed_everything  # noqa: E402
from ecgcourse.shifts import gain, recorded_noise  # noqa: E402
from ecgcourse.splits import ds1_ds2, group_kfold  # noqa: E402
from ecgcourse.tooling.sweep import machine  # noqa: E402

SNRS_DB = (24.0, 18.0, 12.0, 6.0, 0.0, -6.0)  # nstdb's six levels
HIDDEN_UNITS, MAX_EPOCHS = 32, 40  # notebook 2's network
STORY_A_UNITS, STORY_A_EPOCHS = 16, 15


def fit_classifier(Z: np.ndarray, y: np.ndarray, seed: int) -> MLPClassifier:
    model = MLPClassifier((HIDDEN_UNITS,), max_iter=MAX_EPOCHS, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(Z, y)


def per_recording(X: np.ndarray, records: np.ndarray) -> np.ndarray:
    """Each recording z-scored with the mean and SD of its own beats (no labels)."""
    Z = np.empty_like(X)
    for name in np.unique(records):
        rows = records == name
        Z[rows] = Normaliser("zscore").fit(X[rows]).transform(X[rows])
    return Z


def noise_table(ds1, y, folds, versions, seed) -> dict[str, dict[str, float]]:
    rows = {}
    for method in METHODS:
        predicted = {name: np.zeros(len(y), dtype=bool) for name in versions}
        for train, test in folds:
            norm = Normaliser(method).fit(ds1.X[train])
            model = fit_classifier(norm.transform(ds1.X[train]), y[train], seed)
            for name, X in versions.items():
                predicted[name][test] = model.predict(norm.transform(X[test]))
        rows[method] = {name: balanced_accuracy_score(y, p) for name, p in predicted.items()}
        print(method, {k: round(v, 3) for k, v in rows[method].items()}, flush=True)
    return rows


def pooled_table(ds1, y, folds, low_gain, seed) -> dict[str, dict[str, float]]:
    second_device = np.isin(ds1.record, sorted(set(ds1.record))[::2])
    sets = {
        "as recorded": ds1.X,
        "all at gain x0.2": low_gain,
        "half at gain x0.2": np.where(second_device[:, None], low_gain, ds1.X),
    }
    ways = ("train z-score", "z-score fitted on the test beats", "per-recording z-score")
    predicted = {(w, s): np.zeros(len(y), dtype=bool) for w in ways for s in sets}
    for train, test in folds:
        train_z = Normaliser("zscore").fit(ds1.X[train])
        model = fit_classifier(train_z.transform(ds1.X[train]), y[train], seed)
        own = fit_classifier(per_recording(ds1.X[train], ds1.record[train]), y[train], seed)
        for s, X in sets.items():
            X_test = X[test]
            test_fitted = Normaliser("zscore").fit(X_test).transform(X_test)
            predicted[ways[0], s][test] = model.predict(train_z.transform(X_test))
            predicted[ways[1], s][test] = model.predict(test_fitted)
            predicted[ways[2], s][test] = own.predict(per_recording(X_test, ds1.record[test]))
    return {w: {s: balanced_accuracy_score(y, predicted[w, s]) for s in sets} for w in ways}


def story_a_table(ds1, y, folds, seed) -> dict[str, dict[str, float]]:
    F = beat_features(ds1)
    order = np.random.default_rng(seed).permutation(F.shape[1])
    variants = {
        "Conv2D(U, (3, 1))": ("Conv2D", np.arange(F.shape[1])),
        "Conv2D, features shuffled": ("Conv2D", order),
        "Dense(U)": ("Dense", np.arange(F.shape[1])),
    }
    rows = {}
    for name, (layer, columns) in variants.items():
        p_v = np.zeros(len(y))
        for train, test in folds:
            scale = np.abs(F[train]).max(axis=0)  # story A's scaling, training beats only
            A = (F / scale)[:, columns, None, None]
            keras.utils.set_random_seed(seed)
            inputs = keras.Input((F.shape[1], 1, 1))
            if layer == "Conv2D":
                hidden = keras.layers.Conv2D(STORY_A_UNITS, (3, 1), activation="relu")(inputs)
                hidden = keras.layers.Flatten()(hidden)
            else:
                hidden = keras.layers.Dense(STORY_A_UNITS, activation="relu")(
                    keras.layers.Flatten()(inputs)
                )
            model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(hidden))
            model.compile(optimizer="adam", loss="binary_crossentropy")
            weight = float((~y[train]).sum() / y[train].sum())
            model.fit(A[train], y[train].astype(np.float32), epochs=STORY_A_EPOCHS,
                      batch_size=128, class_weight={0: 1.0, 1: weight}, verbose=0)  # fmt: skip
            p_v[test] = model.predict(A[test], verbose=0, batch_size=1024)[:, 0]
        rows[name] = {
            "parameters": float(model.count_params()),
            "balanced accuracy": balanced_accuracy_score(y, p_v > 0.5),
        }
        print(name, rows[name], flush=True)
    return rows


CAPTIONS = {
    "noise": "Balanced accuracy (V vs non-V), DS1 out of fold, with nstdb noise added to every "
    "recording at each SNR (dB, nstdb's definition). Rows: the normaliser.",
    "pooled": "Balanced accuracy, DS1 out of fold, of three ways to normalise the held-out "
    "patients (rows) on three versions of their recordings (columns).",
    "story_a": "Story A's Conv2D over beat features against a Dense layer, DS1 out of fold.",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="", help="folder holding mitdb/, nstdb/")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="build/benchmarks/normalising")
    args = parser.parse_args(argv)
    seed_everything(args.seed)
    records, _ = ds1_ds2()  # DS2 is not read here
    ds1 = load_beats(records, data_dir=args.data_dir)
    y = ds1.label == "V"
    folds = list(group_kfold(ds1.record, y, n_splits=3))
    noise_mv = {
        kind: load_record("nstdb", kind, data_dir=args.data_dir).lead("noise1")
        for kind in ("bw", "ma")
    }
    versions = {"clean": ds1.X}
    for kind in ("bw", "ma"):
        for snr in SNRS_DB:
            change = recorded_noise(noise_mv[kind], snr, data_dir=args.data_dir)
            versions[f"{kind} {snr:g}"] = load_beats(
                records, data_dir=args.data_dir, change=change
            ).X
    low_gain = load_beats(records, data_dir=args.data_dir, change=gain(0.2)).X
    tables = {
        "noise": noise_table(ds1, y, folds, versions, args.seed),
        "pooled": pooled_table(ds1, y, folds, low_gain, args.seed),
        "story_a": story_a_table(ds1, y, folds, args.seed),
    }
    data = (
        f"{len(ds1)} beats of {len(records)} DS1 records, 3 patient-wise folds "
        f"({'full MIT-BIH' if args.data_dir else 'course pack'})"
    )
    for name, rows in tables.items():
        out = Path(f"{args.out}_{name}")
        out.parent.mkdir(parents=True, exist_ok=True)
        run = {
            "settings": {k: v for k, v in vars(args).items() if k != "out"},
            "data": data,
            "machine": machine(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "rows": rows,
        }
        runs = save_run(out, run)
        lines = [
            f"{CAPTIONS[name]} {data}; seeds {seeds_of(runs)} (mean ± SD over seeds); "
            f"{run['machine']}, {run['date']}.",
            "",
            *mean_sd_table(runs, "", ("parameters",)),
        ]
        write_text_atomic(out.with_suffix(".md"), "\n".join(lines) + "\n")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
