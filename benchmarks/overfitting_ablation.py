"""Notebook 6's fix, one change at a time: which of its eight changes matters most for
"does this minute contain a V beat?", on held-out DS1 patients and on DS2.

    python benchmarks/overfitting_ablation.py [--data-dir DIR] [--seed 0] [--minutes 10]

Every row starts from notebook 6's fixed pipeline (10-s windows, a validation set split by
patient, the small network, L2 and dropout, augmentation, early stopping, band-pass and
z-scoring, ``GlobalMaxPooling1D``) and undoes one change; the story-B row undoes all of them.
All rows train on the same DS1 training patients and are scored on the same held-out DS1
patients (``split_by_patient(seed)``, a third of DS1), on the same minutes: a window model
answers for a minute with its most confident window. Early stopping watches an inner split
of the training patients (by patient; by random windows in the "validation not split by
patient" row), so the scoring patients choose nothing.

DS2 (without record 202) is scored last, by the same models, once per row: nothing here is
chosen on it (the rows are notebook 6's fixes, whose settings were fixed before DS2 was
read). Its columns carry a 95 % interval of the balanced accuracy from a bootstrap over DS2
records (``ecgcourse.bootstrap``), so a difference between rows can be read against how far
another set of patients would move it.

Writes ``build/benchmarks/overfitting_ablation-seed<N>.json`` (every number of this seed) and
``build/benchmarks/overfitting_ablation.md``: the table over every seed run so far with the
same data and settings (mean ± SD), with machine and date.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from seed_tables import mean_sd_table, save_run, seeds_of  # noqa: E402
from sklearn.metrics import balanced_accuracy_score  # noqa: E402

from ecgcourse import COURSE_FS  # noqa: E402
from ecgcourse.atomic import write_text_atomic  # noqa: E402
from ecgcourse.bootstrap import bootstrap_by_record, interval  # noqa: E402
from ecgcourse.labels import SYMBOL_TO_AAMI  # noqa: E402
from ecgcourse.models import story_b_network  # noqa: E402
from ecgcourse.normalise import Normaliser  # noqa: E402
from ecgcourse.records import load_annotations, load_record  # noqa: E402
from ecgcourse.seeding import seed_everything  # noqa: E402
from ecgcourse.signals import bandpass, resample, resample_positions  # noqa: E402
from ecgcourse.splits import ds1_ds2, split_by_patient  # noqa: E402
from ecgcourse.tooling.sweep import machine  # noqa: E402

WINDOW_S = 10.0  # notebook 6's window_s
STORYB_FILTERS, STORYB_KERNEL = [4, 3], 175  # notebook 6's student story-B network
L2_PENALTY, DROPOUT = 1e-4, 0.3
MAX_SHIFT_S, NOISE_SD = 1.0, 0.05
VALIDATION_SHARE = 0.33

FIXES = ("windows", "patientwise", "small", "regularise", "augment", "early_stop", "clean",
         "max_pool")  # fmt: skip
ROWS = {
    "fixed pipeline (all eight changes)": {},
    "- windows (one-minute samples)": {"windows": False},
    "- validation split by patient (random windows)": {"patientwise": False},
    "- small network (story-B layers on windows)": {"small": False},
    "- L2 and dropout": {"regularise": False},
    "- augmentation": {"augment": False},
    "- early stopping (every epoch, the last kept)": {"early_stop": False},
    "- band-pass and z-scoring (raw mV)": {"clean": False},
    "- GlobalMaxPooling1D (average instead)": {"max_pool": False},
    "story B (none of the changes)": dict.fromkeys(FIXES, False),
}


def load(records, minutes, data_dir):
    """Raw and band-passed minutes at COURSE_FS, each minute's record and V-beat flags."""
    raw, clean, record, v_windows = [], [], [], []
    n_min = int(60 * COURSE_FS)
    n_win = int(WINDOW_S * COURSE_FS)
    for name in records:
        rec = load_record("mitdb", name, leads=["MLII"], data_dir=data_dir)
        x = rec.lead("MLII")[: int(minutes * 60 * rec.fs)]
        ann = load_annotations("mitdb", name, data_dir=data_dir)
        is_v = np.array([SYMBOL_TO_AAMI.get(s) == "V" for s in ann.symbol], dtype=bool)
        v_at = resample_positions(ann.sample[is_v], ann.fs, fs_out=COURSE_FS)
        r = resample(x, rec.fs, fs_out=COURSE_FS)
        c = resample(bandpass(x, rec.fs), rec.fs, fs_out=COURSE_FS)
        k = len(r) // n_min
        raw.append(r[: k * n_min].reshape(k, n_min))
        clean.append(c[: k * n_min].reshape(k, n_min))
        record += [name] * k
        starts = np.arange(k * n_min // n_win) * n_win
        inside = (v_at[None, :] >= starts[:, None]) & (v_at[None, :] < starts[:, None] + n_win)
        v_windows.append(inside.any(axis=1).reshape(k, -1))
    return (
        np.concatenate(raw).astype(np.float32),
        np.concatenate(clean).astype(np.float32),
        np.array(record),
        np.concatenate(v_windows).astype(np.int64),  # (minutes, windows per minute)
    )


def network(n_samples, small, regularise, max_pool):
    if not small:
        return story_b_network(n_samples, STORYB_FILTERS, STORYB_KERNEL, n_classes=2)
    reg = keras.regularizers.L2(L2_PENALTY) if regularise else None

    def conv(filters):
        return keras.layers.Conv1D(
            filters, 7, padding="same", activation="relu", kernel_regularizer=reg
        )

    pool = keras.layers.GlobalMaxPooling1D() if max_pool else keras.layers.GlobalAveragePooling1D()
    return keras.Sequential(
        [
            keras.Input(shape=(n_samples, 1)),
            conv(16), keras.layers.MaxPooling1D(4), conv(32), keras.layers.MaxPooling1D(4),
            conv(32), pool, keras.layers.Dropout(DROPOUT if regularise else 0.0),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )  # fmt: skip


def augment(x, y):
    gain = tf.exp(tf.random.uniform([], -0.3, 0.3))
    max_shift = int(MAX_SHIFT_S * COURSE_FS)
    shift = tf.random.uniform([], -max_shift, max_shift + 1, dtype=tf.int32)
    noise = tf.random.normal(tf.shape(x), stddev=NOISE_SD)
    return tf.roll(x * gain, shift, axis=0) + noise, y


def run_row(change, data, train_idx, score_idx, args):
    """Train one variant; return its scores on the scoring patients' minutes and a function
    that answers, minute by minute (0 or 1), for other data of the same layout."""
    opts = {name: True for name in FIXES} | change
    raw, clean, record, v_win = data
    per_min = v_win.shape[1]
    minutes = clean if opts["clean"] else raw
    y_min = v_win.any(axis=1).astype(np.int64)
    rng = np.random.default_rng(args.seed)

    # the inner validation set that early stopping watches (never the scoring patients)
    train_records = sorted(set(record[train_idx]))
    if opts["patientwise"]:
        fit_r, stop_r = split_by_patient(train_records, VALIDATION_SHARE, seed=args.seed)
        fit_min = train_idx[np.isin(record[train_idx], fit_r)]
        stop_min = train_idx[np.isin(record[train_idx], stop_r)]
    else:
        fit_min = stop_min = train_idx  # split below, sample by sample

    def samples(idx):
        if opts["windows"]:
            x = minutes[idx].reshape(len(idx) * per_min, -1)
            return x, v_win[idx].reshape(-1)
        return minutes[idx], y_min[idx]

    x_fit, y_fit = samples(fit_min)
    x_stop, y_stop = samples(stop_min)
    if not opts["patientwise"]:  # a random share of the samples: patients on both sides
        order = rng.permutation(len(x_fit))
        cut = int(round(len(order) * (1 - VALIDATION_SHARE)))
        x_fit, y_fit, x_stop, y_stop = (
            x_fit[order[:cut]], y_fit[order[:cut]], x_fit[order[cut:]], y_fit[order[cut:]]
        )  # fmt: skip
    x_score, _ = samples(score_idx)
    x_train_all, _ = samples(train_idx)
    if opts["clean"]:
        norm = Normaliser("zscore", fs=COURSE_FS).fit(x_fit)
        x_fit, x_stop, x_score, x_train_all = (
            norm.transform(a, fs=COURSE_FS) for a in (x_fit, x_stop, x_score, x_train_all)
        )

    keras.backend.clear_session()
    keras.utils.set_random_seed(args.seed)
    model = network(x_fit.shape[1], opts["small"], opts["regularise"], opts["max_pool"])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    batches = tf.data.Dataset.from_tensor_slices((x_fit[..., None], y_fit))
    batches = batches.shuffle(len(x_fit), seed=args.seed)
    if opts["augment"]:
        batches = batches.map(augment)
    batches = batches.batch(32 if opts["windows"] else 16)
    callbacks = []
    if opts["early_stop"]:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=args.patience, restore_best_weights=True
            )
        )
    history = model.fit(
        batches,
        validation_data=(x_stop[..., None], y_stop),
        # without early stopping: the fix's full epoch budget, or story B's own epochs
        epochs=args.max_epochs if opts["early_stop"] or opts["small"] else args.epochs,
        shuffle=False,  # the dataset is shuffled above
        callbacks=callbacks,
        verbose=0,
    )

    def minute_answers(x, n_minutes):
        p = model.predict(x[..., None], verbose=0, batch_size=64)[:, 1]
        if opts["windows"]:
            p = p.reshape(n_minutes, per_min).max(axis=1)  # the most confident window
        return (p > 0.5).astype(np.int64)

    def answer(other):
        """Minute answers for ``other`` (the output of :func:`load`), preprocessed as the
        training minutes were (the same normaliser)."""
        x = other[1] if opts["clean"] else other[0]
        n_minutes = len(x)
        if opts["windows"]:
            x = x.reshape(n_minutes * per_min, -1)
        if opts["clean"]:
            x = norm.transform(x, fs=COURSE_FS)
        return minute_answers(x, n_minutes)

    pred_score = minute_answers(x_score, len(score_idx))
    pred_train = minute_answers(x_train_all, len(train_idx))
    train_acc = float(np.mean(pred_train == y_min[train_idx]))
    val_acc = float(np.mean(pred_score == y_min[score_idx]))
    return {
        "training acc.": train_acc,
        "validation acc.": val_acc,
        "gap": train_acc - val_acc,
        "validation balanced acc.": float(balanced_accuracy_score(y_min[score_idx], pred_score)),
        "epochs": float(len(history.history["loss"])),
        "parameters": float(model.count_params()),
    }, answer


def ds2_scores(answers, test, seed):
    """DS2 columns for every row: accuracy, balanced accuracy and its 95 % interval from a
    bootstrap over DS2 records (the same resamples for every row)."""
    _, _, record, v_win = test
    truth = np.where(v_win.any(axis=1), "V", "no V")
    said = {name: np.where(a == 1, "V", "no V") for name, a in answers.items()}
    boot = bootstrap_by_record(truth, said, record, classes=["V", "no V"], seed=seed)
    out = {}
    for name, a in said.items():
        balanced = (boot[name]["V"]["Se"] + boot[name]["no V"]["Se"]) / 2
        low, high = interval(balanced)
        out[name] = {
            "DS2 acc.": float(np.mean(a == truth)),
            "DS2 balanced acc.": float(balanced_accuracy_score(truth, a)),
            "DS2 bal. 95 % low": low,
            "DS2 bal. 95 % high": high,
        }
    return out


def table(runs: list[dict]) -> str:
    """The markdown table over ``runs`` (from :func:`seed_tables.save_run`), with its caption."""
    newest = runs[-1]
    lines = [
        f"Trained on DS1 patients, scored on the minutes of held-out DS1 patients "
        f"(validation) and, last, on DS2 ({newest['data']}); seeds {seeds_of(runs)} "
        f"(mean ± SD over seeds; the held-out patients change with the seed; DS2's interval: "
        f"95 % bootstrap over its records, averaged over seeds); {newest['machine']}; "
        f"latest run {newest['date']}.",
        "",
    ]
    return (
        "\n".join(lines + mean_sd_table(runs, "change undone", ("epochs", "parameters", "seconds")))
        + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="", help="folder holding mitdb/ (default: pack)")
    parser.add_argument("--minutes", type=float, default=10, help="minutes from each record")
    parser.add_argument("--epochs", type=int, default=15, help="story B's epochs")
    parser.add_argument("--max-epochs", type=int, default=40, help="the fixed pipeline's epochs")
    parser.add_argument("--patience", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="build/benchmarks/overfitting_ablation")
    args = parser.parse_args(argv)
    seed_everything(args.seed)

    ds1_records, ds2_records = ds1_ds2()
    data = load(ds1_records, args.minutes, args.data_dir)
    record = data[2]
    train_r, score_r = split_by_patient(ds1_records, VALIDATION_SHARE, seed=args.seed)
    train_idx = np.flatnonzero(np.isin(record, train_r))
    score_idx = np.flatnonzero(np.isin(record, score_r))
    y_score = data[3][score_idx].any(axis=1)
    chance = float(max(y_score.mean(), 1 - y_score.mean()))

    rows: dict[str, dict[str, float]] = {}
    answer_of = {}
    for name, change in ROWS.items():
        start = time.perf_counter()
        rows[name], answer_of[name] = run_row(change, data, train_idx, score_idx, args)
        rows[name]["seconds"] = time.perf_counter() - start
        print(f"{name}: {rows[name]}", flush=True)

    # DS2, once, after every row is trained: the constant answer is the validation majority
    test = load(ds2_records, args.minutes, args.data_dir)
    constant = "constant answer (validation majority)"
    answers = {name: answer(test) for name, answer in answer_of.items()}
    answers[constant] = np.full(len(test[2]), int(y_score.mean() > 0.5))
    test_rows = ds2_scores(answers, test, args.seed)
    rows[constant] = {
        "training acc.": float("nan"), "validation acc.": chance, "gap": float("nan"),
        "validation balanced acc.": 0.5, "epochs": 0.0, "parameters": 0.0, "seconds": 0.0,
    }  # fmt: skip
    for name in rows:
        seconds = rows[name].pop("seconds")
        rows[name] |= test_rows[name] | {"seconds": seconds}

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    run = {
        "settings": {k: v for k, v in vars(args).items() if k != "out"},
        "data": f"{len(record)} minutes of {len(ds1_records)} DS1 records, "
        f"{len(train_r)} training and {len(score_r)} held-out patients; {len(test[2])} "
        f"minutes of {len(ds2_records)} DS2 records "
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
