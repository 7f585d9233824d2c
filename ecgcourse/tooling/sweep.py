"""The seed sweep: does every lesson hold at every seed?

``python -m ecgcourse sweep [NOTEBOOK ...] --profile P --seeds 0 1 2 [--data-dir DIR]`` runs
the notebooks at each seed, one seed after another, into ``build/sweep/<P>/seed<N>/``, then
writes ``build/sweep/<P>/sweep.json`` and ``sweep.md``:

- per notebook and seed: whether it ran and passed its closing checks;
- per notebook, each recorded metric's mean, SD, min and max over seeds;
- per closing check (:func:`ecgcourse.checks.check`), the seed where its margin was smallest.

``--update-readme`` then writes the headline numbers of the sweep (mean ± SD over seeds, with
machine, profile and seeds) into README.md between its numbers markers, so that no number
in the README is typed.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
from datetime import UTC, datetime
from pathlib import Path

from ecgcourse.atomic import write_between_markers, write_text_atomic
from ecgcourse.paths import BUILD_DIR, COURSE_ROOT
from ecgcourse.tooling.report import HEADLINE_METRICS, _versions
from ecgcourse.tooling.runner import run_course

README = COURSE_ROOT / "README.md"


def sweep_dir(profile: str, build_dir: Path = BUILD_DIR) -> Path:
    """``build/sweep/<profile>/``: one ``seed<N>/`` folder per seed, then the summary files."""
    return build_dir / "sweep" / profile


#: CPU features that change which kernels oneDNN (TensorFlow's CPU backend) runs, so that two
#: machines with the same platform string can give different numbers at the same seed.
KERNEL_FEATURES = ("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_tile")


def cpu() -> str:
    """The CPU model and its kernel-relevant features, from ``/proc/cpuinfo`` where there is one."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    model = re.search(r"^model name\s*:\s*(.+)$", info, re.MULTILINE)
    flags = re.search(r"^flags\s*:\s*(.+)$", info, re.MULTILINE)
    have = set(flags.group(1).split()) if flags else set()
    features = [f for f in KERNEL_FEATURES if f in have]
    name = model.group(1).strip() if model else platform.machine()
    return f"{name} ({', '.join(features) or 'none of ' + '/'.join(KERNEL_FEATURES)})"


def machine() -> str:
    """This machine in words: platform, CPU and its features, cores, oneDNN setting, Python."""
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")
    return (
        f"{platform.platform()}, {cpu()}, {os.cpu_count()} CPU cores, "
        f"TF_ENABLE_ONEDNN_OPTS={onednn}, Python {platform.python_version()}"
    )


def run_sweep(
    names: list[str] | None,
    profile: str,
    seeds: list[int],
    data_dir: str | Path | None = None,
    build_dir: Path = BUILD_DIR,
) -> dict:
    """Run the notebooks at every seed, then summarise; returns what ``sweep.json`` holds."""
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be a non-empty list without repeats, got {seeds}")
    out = sweep_dir(profile, build_dir)
    for k, seed in enumerate(seeds, start=1):
        print(f"[sweep {profile}] seed {seed} ({k} of {len(seeds)})", flush=True)
        run_course(names, profile, data_dir, build_dir, seed, out / f"seed{seed}")
    return write_summary(profile, seeds, build_dir)


def write_summary(profile: str, seeds: list[int], build_dir: Path = BUILD_DIR) -> dict:
    """Summarise the latest run of every notebook in ``build/sweep/<profile>/seed<N>/``.

    Like the runner's ``metrics.json``, a seed folder keeps each notebook's latest run, so a
    sweep of some notebooks adds to, and does not erase, a sweep of the others.
    """
    out = sweep_dir(profile, build_dir)
    runs = {}
    for seed in seeds:
        path = out / f"seed{seed}" / "metrics.json"
        runs[seed] = json.loads(path.read_text()) if path.is_file() else {}
    summary = summarise(runs)
    summary.update(
        profile=profile,
        seeds=seeds,
        machine=machine(),
        versions=_versions(),
        written=f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    )
    write_text_atomic(out / "sweep.json", json.dumps(summary, indent=1, sort_keys=True))
    write_text_atomic(out / "sweep.md", sweep_markdown(summary))
    return summary


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "mean": statistics.fmean(values),
        "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def summarise(runs: dict[int, dict[str, dict]]) -> dict:
    """Per notebook: status per seed, metric statistics over seeds, each check's closest call.

    ``runs`` maps seed -> the runner's ``metrics.json`` contents for that seed.
    """
    notebooks: dict[str, dict] = {}
    for stem in sorted({s for by_stem in runs.values() for s in by_stem}):
        per_seed = {seed: by_stem[stem] for seed, by_stem in runs.items() if stem in by_stem}
        status = {str(seed): info["status"] for seed, info in per_seed.items()}
        names = sorted({m for info in per_seed.values() for m in info["metrics"]})
        metrics = {
            m: _stats([info["metrics"][m] for info in per_seed.values() if m in info["metrics"]])
            for m in names
        }
        checks = {}
        for name in sorted({c for info in per_seed.values() for c in info.get("checks", {})}):
            seen = {
                seed: info["checks"][name]
                for seed, info in per_seed.items()
                if name in info.get("checks", {})
            }
            worst = min(seen, key=lambda seed: seen[seed]["margin"])
            checks[name] = {
                "op": seen[worst]["op"],
                "limit": seen[worst]["limit"],
                "closest_seed": worst,
                "closest_value": seen[worst]["value"],
                "closest_margin": seen[worst]["margin"],
                "values": {str(seed): entry["value"] for seed, entry in seen.items()},
                "passed_at_every_seed": all(e["passed"] for e in seen.values())
                and len(seen) == len(per_seed),
            }
        notebooks[stem] = {
            "status": status,
            "passed_at_every_seed": all(s == "ok" for s in status.values()),
            "seconds": _stats([info["seconds"] for info in per_seed.values()]),
            # when its latest run ended (runs older than this field: unknown, None)
            "swept": max((info.get("finished", "") for info in per_seed.values()), default="")
            or None,
            "metrics": metrics,
            "checks": checks,
        }
    return {
        "notebooks": notebooks,
        "passed": all(nb["passed_at_every_seed"] for nb in notebooks.values()),
    }


def _g(x: float) -> str:
    return f"{x:.4g}"


def sweep_markdown(summary: dict) -> str:
    """The sweep as markdown: one section per notebook (status, checks, metrics)."""
    seeds = summary["seeds"]
    lines = [
        f"# Seed sweep: profile `{summary['profile']}`, seeds {', '.join(map(str, seeds))}",
        "",
        f"Written {summary['written']} on {summary['machine']}; {summary['versions']}.",
        f"Every notebook passed at every seed: **{'yes' if summary['passed'] else 'NO'}**.",
        "",
    ]
    for stem, nb in summary["notebooks"].items():
        status = ", ".join(f"seed {s}: {st}" for s, st in nb["status"].items())
        t = nb["seconds"]
        lines += [
            f"## {stem}",
            "",
            f"{status}; run time {t['mean']:.0f} s (min {t['min']:.0f}, max {t['max']:.0f}).",
            "",
        ]
        if nb["checks"]:
            lines += [
                "| closing check | limit | closest seed | value there | margin | all seeds |",
                "|---|---|---|---|---|---|",
            ]
            for name, c in nb["checks"].items():
                ok = "pass" if c["passed_at_every_seed"] else "**FAIL**"
                lines.append(
                    f"| `{name}` | {c['op']} {_g(c['limit'])} | {c['closest_seed']} | "
                    f"{_g(c['closest_value'])} | {_g(c['closest_margin'])} | {ok} |"
                )
            lines.append("")
        if nb["metrics"]:
            lines += ["| metric | mean | SD | min | max | n |", "|---|---|---|---|---|---|"]
            for name, m in nb["metrics"].items():
                lines.append(
                    f"| `{name}` | {_g(m['mean'])} | {_g(m['sd'])} | {_g(m['min'])} | "
                    f"{_g(m['max'])} | {m['n']} |"
                )
            lines.append("")
    return "\n".join(lines)


START, END = "<!-- numbers:start -->", "<!-- numbers:end -->"


ROW_HEADER = "| notebook | seeds | swept | time (s) | results (mean ± SD over seeds) |"

PLAIN_RESULTS: dict[str, str] = {
    "01_loading": "a beat mark moves by at most {max_beat_shift_ms} ms when the record is "
    "resampled from 360 to 250 Hz; {n_beats_ds1} beats in DS1",
    "02_normalising": "V-beat detector, DS1 out of fold: balanced accuracy "
    "{balanced_accuracy_globalmax_clean} with a global-max normaliser, "
    "{balanced_accuracy_globalmax_gain0p2} when the recorder's gain is 5 times smaller; with "
    "per-window standardisation {balanced_accuracy_perwindow_clean} either way",
    "03_splitting": "out-of-fold k-NN on DS1: balanced accuracy {beatwise_balanced_accuracy} "
    "with folds drawn beat by beat (the same patients on both sides), "
    "{patientwise_balanced_accuracy} with folds drawn by patient",
    "04_baseline": "the baseline chosen by patient-grouped cross-validation on DS1: mean F1 "
    "of S and V on held-out DS1 patients {baseline_ds1_mean_f1_sv} ('always N': accuracy "
    "{majority_accuracy}); on DS2, F1 of S {baseline_f1_S}, of V {baseline_f1_V}",
    "05_cnn": "the CNN on DS2: F1 of S {cnn_f1_S}, of V {cnn_f1_V} (the baseline: "
    "{baseline_f1_S} and {baseline_f1_V})",
    "06_overfitting": "balanced accuracy on held-out DS1 patients (patient-grouped folds): "
    "story B's network {storyb_oof_balanced_accuracy} (accuracy {storyb_fold_train_accuracy} "
    "on its training minutes), the fix {fix_oof_balanced_accuracy}; on DS2 "
    "{storyb_test_balanced_accuracy} and {fix_test_balanced_accuracy}",
    "07_saturation": "validation patients' beats louder than any training beat (gain x5, ADC "
    "counts) whose output is exactly 0.0 or 1.0: {story_a_saturated_louder} with story A's "
    "model, {fix_saturated_louder_minus_clean} more than on clean beats after the fix; on "
    "DS2's ADC counts, the 95 % interval of the fix's ROC AUC minus story A's starts at "
    "{ds2_counts_auc_fix_minus_story_a_low}",
    "08_calibration": "temperature {temperature} fitted on held-out DS1 patients; the log loss "
    "of a patient left out falls to {left_out_log_loss_ratio} of itself; on DS2 to "
    "{ds2_log_loss_ratio}, while the ECE of p(V) goes from {ds2_ece_before} to "
    "{ds2_ece_after}; the guard flags {guard_flag_rate_device} of another device's beats "
    "(the fewest over gain x5, x0.2 and ADC counts) and {guard_flag_rate_ds2} of DS2's",
    "09_segmentation": "the U-Net on held-out LUDB records: QRS sensitivity {qrs_sensitivity}, "
    "+P {qrs_ppv}; SD of the QRS onset error {qrs_onset_error_sd_ms} ms, offset "
    "{qrs_offset_error_sd_ms} ms; MIT-BIH beat detection F1 {mitdb_unet_f1} (XQRS "
    "{mitdb_xqrs_f1})",
    "10_capstone": "DS2 with nstdb's muscle noise at -6 dB SNR: the paired 95 % interval of "
    "the change of V sensitivity from clean ends at {ds2_se_change_high}; the share of records "
    "whose non-V beats are called V more often {ds2_records_false_v_rise}; the guard abstains "
    "on {ds2_abstain_worst_snr} of the beats; xqrs's heart rate on nstdb's 119e_6 is "
    "{detected_over_annotated_heart_rate} times the annotated one",
}
"""Per notebook, its headline results in plain words for the README; ``{name}`` is the
metric's mean ± SD over seeds (``sweep.md`` and the report keep every metric)."""
_FIELD = re.compile(r"\{(\w+)\}")
_OLD_CELL = re.compile(r"(\w+) (-?[\d.]+(?:e[-+]?\d+)?) ± (-?[\d.]+(?:e[-+]?\d+)?)")


def _plain(x: float) -> str:
    """A number as a reader wants it: 17,040 beats, 12.2, 0.883."""
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}" if abs(x) >= 10 else f"{x:.3g}"


def plain_results(stem: str, values: dict[str, tuple[float, float]]) -> str:
    """The README's words for one notebook, ``values``: metric -> (mean, SD) over seeds;
    a metric that is missing reads "n/a"."""
    template = PLAIN_RESULTS.get(stem)
    if template is None:
        return "; ".join(f"{k} {_g(m)} ± {sd:.2g}" for k, (m, sd) in values.items())

    def value(match: re.Match) -> str:
        found = values.get(match.group(1))
        return "n/a" if found is None else f"{_plain(found[0])} ± {found[1]:.2g}"

    return _FIELD.sub(value, template)


def _rows(summary: dict) -> dict[str, str]:
    """One table row per notebook of a sweep summary, keyed by notebook stem."""
    rows = {}
    for stem, nb in summary["notebooks"].items():
        # the seeds this notebook ran at, not every seed of the sweep
        seeds = ", ".join(str(seed) for seed in summary["seeds"] if str(seed) in nb["status"])
        names = set(HEADLINE_METRICS.get(stem, ())) | set(
            _FIELD.findall(PLAIN_RESULTS.get(stem, ""))
        )
        values = {name: (m["mean"], m["sd"]) for name in names if (m := nb["metrics"].get(name))}
        mark = "" if nb["passed_at_every_seed"] else " (**failed at some seed**)"
        rows[stem] = (
            f"| {stem}{mark} | {seeds} | {nb.get('swept') or summary['written']} | "
            f"{nb['seconds']['mean']:.0f} | {plain_results(stem, values)} |"
        )
    return rows


def earlier_rows(block: str) -> dict[str, dict[str, str]]:
    """The rows of a numbers block already in the README: profile -> stem -> row.

    Reads this module's format, and the older one (one date for the whole table, in the
    profile's heading), which it rewrites into this format."""
    found: dict[str, dict[str, str]] = {}
    profile, seeds, written = None, "", ""
    for line in block.splitlines():
        heading = re.match(r"Profile `(\w+)`(?:, seeds ([\d, ]+))?:", line)
        if heading:
            profile, seeds = heading.group(1), heading.group(2) or ""
            date = re.search(r"(\d{4}-\d\d-\d\d \d\d:\d\d UTC)", line)
            written = date.group(1) if date else ""
            found.setdefault(profile, {})
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if profile is None or not re.match(r"\| \d\d_\w+ ", line) or len(cells) not in (3, 5):
            continue
        stem = cells[0].split()[0]
        if len(cells) == 3:  # older format: notebook | time | headline
            cells = [cells[0], seeds, written, cells[1], cells[2]]
        old_values = _OLD_CELL.findall(cells[4])
        if old_values and cells[4].startswith(old_values[0][0]):  # identifiers: plain words
            values = {name: (float(m), float(sd)) for name, m, sd in old_values}
            cells[4] = plain_results(stem, values)
        found[profile][stem] = "| " + " | ".join(cells) + " |"
    return found


def numbers_block(summaries: list[dict], earlier: dict[str, dict[str, str]] | None = None) -> str:
    """Headline metrics of each sweep as ``mean ± SD`` over seeds, one table per profile.

    A notebook the latest sweep of a profile did not run keeps its row from ``earlier``
    (see :func:`earlier_rows`), with the seeds and the date of the sweep that measured it.
    """
    parts = []
    for summary in summaries:
        rows = {  # notebooks renamed or removed since lose their rows
            stem: row
            for stem, row in (earlier or {}).get(summary["profile"], {}).items()
            if stem in HEADLINE_METRICS
        }
        rows.update(_rows(summary))
        parts += [
            f"Profile `{summary['profile']}`: latest sweep on {summary['machine']}; "
            f"{summary['versions']}. Mean ± SD over the seeds of each row (the seed sweep, "
            "`python -m ecgcourse sweep`); each row says when it was swept, and a row swept "
            "earlier may come from another machine.",
            "",
            ROW_HEADER,
            "|---|---|---|---|---|",
            *(rows[stem] for stem in sorted(rows)),
            "",
        ]
    return "\n".join(parts).rstrip()


def update_readme(profiles: list[str], build_dir: Path = BUILD_DIR, readme: Path = README) -> Path:
    """Write the numbers block from ``build/sweep/<profile>/sweep.json`` into the README."""
    summaries = []
    for profile in profiles:
        path = sweep_dir(profile, build_dir) / "sweep.json"
        if not path.is_file():
            raise FileNotFoundError(
                f"no {path}: run `python -m ecgcourse sweep --profile {profile}` first"
            )
        summaries.append(json.loads(path.read_text()))
    text = readme.read_text()
    old = text.split(START, 1)[1].split(END, 1)[0] if START in text and END in text else ""
    return write_between_markers(readme, START, END, numbers_block(summaries, earlier_rows(old)))
