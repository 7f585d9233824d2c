"""The course report: ``build/<profile>/index.html``, one page an instructor can hand out.

Per notebook: its title, status, run time (s), every number it recorded with
``record_metric`` and its key figures (the image outputs of cells tagged ``key-figure``),
embedded so the page stands alone. The header names the machine and package versions.
"""

from __future__ import annotations

import html
import os
import platform
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import nbformat

from ecgcourse.atomic import write_text_atomic

KEY_FIGURE_TAG = "key-figure"
"""Cell tag marking a cell whose image output belongs in the course report."""

# The numbers each notebook's issue asks for; shown first in the report, checked by the tests.
HEADLINE_METRICS: dict[str, tuple[str, ...]] = {
    "01_loading": ("max_beat_shift_ms", "resampled_curve_error", "n_beats_ds1"),
    "02_normalising": (
        "balanced_accuracy_globalmax_clean",
        "balanced_accuracy_globalmax_gain0p2",
        "balanced_accuracy_perwindow_clean",
        "balanced_accuracy_perwindow_gain0p2",
    ),
    "03_splitting": (
        "beatwise_accuracy",
        "patientwise_accuracy",
        "beatwise_balanced_accuracy",
        "patientwise_balanced_accuracy",
    ),
    "04_baseline": (
        "baseline_ds1_mean_f1_sv",
        "majority_accuracy",
        "baseline_f1_S",
        "baseline_f1_V",
    ),
    "05_cnn": (
        "cnn_f1_S",
        "cnn_f1_V",
        "baseline_f1_S",
        "baseline_f1_V",
        "ds1_mean_f1_sv_cnn",
        "chosen_epochs",
    ),
    "06_overfitting": (
        "storyb_train_accuracy",
        "storyb_val_balanced_accuracy",
        "shuffled_train_accuracy",
        "storyb_oof_balanced_accuracy",
        "fix_oof_balanced_accuracy",
        "storyb_test_balanced_accuracy",
        "fix_test_balanced_accuracy",
    ),
    "07_saturation": (
        "story_a_saturated_louder",
        "fix_saturated_louder_minus_clean",
        "fix_same_decisions_device",
        "story_a_saturated_ludb_integers",
        "ds2_counts_auc_fix_minus_story_a_low",
    ),
    "08_calibration": (
        "temperature",
        "left_out_log_loss_ratio",
        "ds2_log_loss_ratio",
        "ds2_ece_before",
        "ds2_ece_after",
        "ds2_brier_change_high",
        "guard_flag_rate_device",
        "guard_flag_rate_ds2",
        "confidence_over_guard_risk",
    ),
    "09_segmentation": (
        "regression_pred_sd_ratio",
        "regression_vs_mean_error_ratio",
        "storyd_lstm_longer_vs_mean_error_ratio",
        "storyd_lstm_voltage_vs_mean_error_ratio",
        "storyd_cnn_vs_mean_error_ratio",
        "storyd_unet_vs_mean_error_ratio",
        "storyd_unet_onset_mae_ms",
        "qrs_sensitivity",
        "qrs_ppv",
        "qrs_onset_error_mean_ms",
        "qrs_onset_error_sd_ms",
        "qrs_offset_error_mean_ms",
        "qrs_offset_error_sd_ms",
        "mitdb_unet_f1",
        "mitdb_xqrs_f1",
        "mitdb_xqrs360_f1",
        "mitdb_gqrs_f1",
        "mitdb_unet_minus_xqrs_f1_low",
        "mitdb_unet_minus_xqrs_f1_high",
        "p_sensitivity",
        "p_ppv",
        "p_ppv_with_p_waves",
        "t_sensitivity",
        "t_ppv",
        "qrs_onset_global_error_sd_ms",
        "qrs_onset_median_error_sd_ms",
        "reference_qrs_onset_earliest_minus_median_sd_ms",
        "qrs_offset_global_error_sd_ms",
        "t_offset_error_sd_ms",
        "unet_best_epoch",
        "train_seconds",
    ),
    "10_capstone": (
        "roundtrip_change",
        "roundtrip_abstain_change",
        "ludb_abstain_rate",
        "detected_over_annotated_heart_rate",
        "ds2_v_sensitivity_clean",
        "ds2_se_change_high",
        "ds2_v_ppv_clean",
        "ds2_v_ppv_worst_snr",
        "ds2_records_false_v_rise",
        "ds2_abstain_worst_snr",
    ),
}
"""Per notebook, the metrics the report leads with (all others are one click away)."""

VERSIONED = ("tensorflow-cpu", "tensorflow", "keras", "wfdb", "numpy", "scikit-learn")

STYLE = """body{font-family:sans-serif;max-width:64em;margin:2em auto;padding:0 1em}
section{border-top:2px solid #ccc;margin-top:2em}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25em .6em;
text-align:left}img{max-width:100%;display:block;margin:.6em 0}
.failed{color:#b00}small{color:#555}"""


def key_figures(executed: Path) -> list[str]:
    """Base64 PNGs output by the ``key-figure`` cells of an executed notebook, in order."""
    if not executed.is_file():
        return []
    nb = nbformat.read(executed, as_version=4)
    images = []
    for cell in nb.cells:
        if cell.cell_type != "code" or KEY_FIGURE_TAG not in cell.metadata.get("tags", []):
            continue
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                images.append(png.replace("\n", ""))
    return images


def notebook_title(executed: Path, stem: str) -> str:
    """The notebook's H1 (``# 5. Building a 1-D CNN ...``), or its stem if it has none."""
    if executed.is_file():
        for cell in nbformat.read(executed, as_version=4).cells:
            if cell.cell_type == "markdown" and cell.source.startswith("# "):
                return cell.source.splitlines()[0][2:].strip()
    return stem


def _versions() -> str:
    found = []
    for name in VERSIONED:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return ", ".join(found)


def _metric_table(metrics: dict[str, float], names: list[str]) -> str:
    rows = "".join(
        f"<tr><td><code>{html.escape(k)}</code></td><td>{metrics[k]:.4g}</td></tr>" for k in names
    )
    return f"<table><tr><th>metric</th><th>value</th></tr>{rows}</table>"


def _section(out_dir: Path, stem: str, info: dict) -> str:
    executed = out_dir / f"{stem}.ipynb"
    title = html.escape(notebook_title(executed, stem))
    status = html.escape(info["status"])
    if info["status"] != "ok":
        status = f"<span class='failed'>{status}</span>"
    parts = [
        f"<section id='{stem}'><h2>{title}</h2>",
        f"<p>{status} in {info['seconds']:.1f} s &middot; <a href='{stem}.html'>executed "
        f"notebook (HTML)</a> &middot; <a href='{stem}.ipynb'>ipynb</a></p>",
    ]
    if info.get("error"):
        parts.append(f"<p><small>{html.escape(info['error'][:500])}</small></p>")
    metrics = info["metrics"]
    headline = [k for k in HEADLINE_METRICS.get(stem, ()) if k in metrics]
    if headline:
        parts.append(_metric_table(metrics, headline))
    others = sorted(set(metrics) - set(headline))
    if others:
        parts.append(
            f"<details><summary>{'all' if not headline else 'more'} numbers ({len(others)})"
            f"</summary>{_metric_table(metrics, others)}</details>"
        )
    checks = info.get("checks", {})
    if checks:
        rows = "".join(
            f"<tr><td><code>{html.escape(name)}</code></td><td>{c['value']:.4g}</td>"
            f"<td>{html.escape(c['op'])} {c['limit']:.4g}</td><td>{c['margin']:.3g}</td>"
            f"<td>{'pass' if c['passed'] else '<span class=failed>FAIL</span>'}</td></tr>"
            for name, c in sorted(checks.items(), key=lambda item: item[1]["margin"])
        )
        parts.append(
            f"<details><summary>closing checks ({len(checks)}), closest to its limit first"
            "</summary><table><tr><th>check</th><th>value</th><th>limit</th><th>margin</th>"
            f"<th></th></tr>{rows}</table></details>"
        )
    for k, png in enumerate(key_figures(executed), start=1):
        parts.append(f"<img alt='{title}: key figure {k}' src='data:image/png;base64,{png}'>")
    parts.append("</section>")
    return "\n".join(parts)


def write_index(out_dir: Path, runs: dict[str, dict], profile: str) -> Path:
    """Write ``out_dir/index.html`` for ``runs`` (the contents of ``metrics.json``)."""
    machine = (
        f"{platform.platform()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"
    )
    total = sum(info["seconds"] for info in runs.values())
    ok = sum(info["status"] == "ok" for info in runs.values())
    contents = "".join(
        f"<tr><td><a href='#{stem}'>{stem}</a></td><td>{html.escape(info['status'])}</td>"
        f"<td>{info['seconds']:.1f}</td></tr>"
        for stem, info in sorted(runs.items())
    )
    sections = "\n".join(_section(out_dir, stem, info) for stem, info in sorted(runs.items()))
    page = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>ecgcourse report: {profile} profile</title>
<style>{STYLE}</style></head><body>
<h1>ecgcourse report, profile <code>{profile}</code></h1>
<p>Written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {html.escape(machine)};
{html.escape(_versions())}.</p>
<p>{ok} of {len(runs)} notebooks ran; {total:.0f} s of notebook time in all (each notebook's
time is from its own latest run in this profile).</p>
<table><tr><th>notebook</th><th>status</th><th>seconds</th></tr>{contents}</table>
{sections}
</body></html>
"""
    path = out_dir / "index.html"
    write_text_atomic(path, page)
    return path
