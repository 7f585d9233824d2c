"""Notebook 6's fix, one change at a time: which of its changes matters most for "does this
minute contain a V beat?", on held-out DS1 patients and on DS2.

    python benchmarks/overfitting_ablation.py [--data-dir DIR] [--seed 0] [--minutes 10]

Every row starts from notebook 6's fix (whole minutes with one label each, band-pass and
z-scoring, the right-sized network ``ecgcourse.models.minute_cnn`` with L2 and dropout and a
global maximum, augmentation, shuffled batches, a fixed number of epochs) and undoes one
change, or adds one the notebook leaves out (ten-second windows with a label each; early
stopping); the story-B row undoes all of them. All rows train on the same DS1 training
patients and are scored on the same held-out DS1 patients (``split_by_patient(seed)``, a third
of DS1), on the same minutes: a window model answers for a minute with its most confident
window. Early stopping watches an inner split of the training patients (by patient), so the
scoring patients choose nothing.

DS2 (without record 202) is scored last, by the same models, once per row: nothing here is
chosen on it. Its columns carry a 95 % interval of the balanced accuracy from a bootstrap over
DS2 records (``ecgcourse.bootstrap``), so a difference between rows can be read against how
far another set of patients would move it.

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
from ecgcourse.minutes import load_minutes, v_beat_samples  # noqa: E402
from ecgcourse.models import minute_cnn, story_b_network  # noqa: E402
from ecgcourse.normalise import Normaliser  # noqa: E402
from ecgcourse.seeding import seed_everything  # noqa: E402
from ecgcourse.splits import ds1_ds2, split_by_patient  # noqa: E402
from ecgcourse.tooling.sweep import machine  # noqa: E402
from ecgcourse.training import augment  # noqa: E402

WINDOW_S = 10.0  # the windows row's window length, in seconds
STORYB_FILTERS, STORYB_KERNEL = [4, 3], 175  # notebook 6's student story-B network
VALIDATION_SHARE = 0.33

FIXES = ("windows", "early_stop", "small", "regularise", "augment", "clean", "max_pool",
         "shuffle")  # fmt: skip
FIX = {"windows": False, "early_stop": False} | dict.fromkeys(FIXES[2:], True)
"""Notebook 6's fix: every change on, but whole minutes and a fixed number of epochs."""
ROWS = {
    "notebook 6's fix": {},
    "+ ten-second windows (a label per window)": {"windows": True},
    "+ early stopping (an inner split by patient)": {"early_stop": True},
    "- small network (story-B layers)": {"small": False},
    "- L2 and dropout": {"regularise": False},
    "- augmentation": {"augment": False},
    "- band-pass and z-scoring (raw mV)": {"clean": False},
    "- GlobalMaxPooling1D (average instead)": {"max_pool": False},
    "- shuffled batches (record order)": {"shuffle": False},
    "story B (none of the changes)": dict.fromkeys(FIXES[2:], False),
}


def load(records, minutes, data_dir):
    """Raw and band-passed minutes at COURSE_FS (``ecgcourse.minutes``), each minute's record,
    and whether each of its ten-second windows holds a V beat ``(minutes, windows)``."""
    m = load_minutes(records, minutes_per_record=minutes, data_dir=data_dir)
    n_win = int(WINDOW_S * COURSE_FS)
    per_min = m.raw.shape[1] // n_win
    v_windows = np.zeros((len(m), per_min), dtype=np.int64)
    for name in np.unique(m.record):
        rows = np.flatnonzero(m.record == name)
        v_at = v_beat_samples(name, data_dir=data_dir)[None, None, :]
        first = (m.start[rows][:, None] + np.arange(per_min)[None, :] * n_win)[..., None]
        v_windows[rows] = ((v_at >= first) & (v_at < first + n_win)).any(axis=-1)
    return m.raw, m.clean, m.record, v_windows


def network(n_samples, small, regularise, max_pool):
    if not small:
        return story_b_network(n_samples, STORYB_FILTERS, STORYB_KERNEL, n_classes=2)
    if regularise:
        return minute_cnn(n_samples, global_max=max_pool)
    return minute_cnn(n_samples, l2=0.0, dropout=0.0, global_max=max_pool)


def run_row(change, data, train_idx, score_idx, args):
    """Train one variant; return its scores on the scoring patients' minutes and a function
    that answers, minute by minute (0 or 1), for other data of the same layout."""
    opts = FIX | change
    raw, clean, record, v_win = data
    per_min = v_win.shape[1]
    minutes = clean if opts["clean"] else raw
    y_min = v_win.any(axis=1).astype(np.int64)

    # early stopping watches an inner split of the training patients, never the scoring ones
    fit_min = train_idx
    if opts["early_stop"]:
        fit_r, stop_r = split_by_patient(sorted(set(record[train_idx])), VALIDATION_SHARE,
                                         seed=args.seed)  # fmt: skip
        fit_min = train_idx[np.isin(record[train_idx], fit_r)]
        stop_min = train_idx[np.isin(record[train_idx], stop_r)]

    def samples(idx):
        if opts["windows"]:
            x = minutes[idx].reshape(len(idx) * per_min, -1)
            return x, v_win[idx].reshape(-1)
        return minutes[idx], y_min[idx]

    x_fit, y_fit = samples(fit_min)
    x_score, _ = samples(score_idx)
    x_train_all, _ = samples(train_idx)
    if opts["clean"]:
        norm = Normaliser("zscore", fs=COURSE_FS).fit(x_fit)
        x_fit, x_score, x_train_all = (
            norm.transform(a, fs=COURSE_FS) for a in (x_fit, x_score, x_train_all)
        )

    keras.backend.clear_session()
    keras.utils.set_random_seed(args.seed)
    model = network(x_fit.shape[1], opts["small"], opts["regularise"], opts["max_pool"])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    batches = tf.data.Dataset.from_tensor_slices((x_fit[..., None], y_fit))
    if opts["shuffle"]:
        batches = batches.shuffle(len(x_fit), seed=args.seed)
    if opts["augment"]:
        batches = batches.map(augment)
    batches = batches.batch(32 if opts["windows"] else 16)
    fit_args = {"epochs": args.epochs}
    if opts["early_stop"]:
        x_stop, y_stop = samples(stop_min)
        if opts["clean"]:
            x_stop = norm.transform(x_stop, fs=COURSE_FS)
        stopper = keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=args.patience, restore_best_weights=True
        )
        fit_args = {"epochs": args.max_epochs, "callbacks": [stopper],
                    "validation_data": (x_stop[..., None], y_stop)}  # fmt: skip
    history = model.fit(batches, shuffle=False, verbose=0, **fit_args)  # batches as built above

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
        "\n".join(lines + mean_sd_table(runs, "change", ("epochs", "parameters", "seconds"))) + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="", help="folder holding mitdb/ (default: pack)")
    parser.add_argument("--minutes", type=int, default=10, help="minutes from each record")
    parser.add_argument("--epochs", type=int, default=15, help="every row's epochs (notebook 6)")
    parser.add_argument("--max-epochs", type=int, default=40, help="cap with early stopping")
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
