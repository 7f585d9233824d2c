"""Command line: ``python -m ecgcourse COMMAND ...`` (run, sweep, handouts, lint, copy, ...)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from ecgcourse.paths import BUILD_DIR, PACK_DIR, require_data_dir
from ecgcourse.tooling.profiles import PROFILES

DEBUG_ENV = "ECGCOURSE_DEBUG"
"""Set to 1 to see the full traceback of an error the command line reports in one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a user error is one line (``--help`` has the usage), exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (--help for usage)\n")


def seed(text: str) -> int:
    """A seed: a non-negative integer (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a seed is a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"a seed is 0 or more, got {value}")
    return value


def data_dir(text: str) -> Path:
    """A folder of full PhysioNet databases (argparse type; :func:`require_data_dir`)."""
    try:
        return require_data_dir(text)
    except NotADirectoryError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m ecgcourse", description=__doc__)
    try:
        return _main(parser, argv)
    except (FileExistsError, FileNotFoundError, NotADirectoryError, ValueError) as error:
        if os.environ.get(DEBUG_ENV):
            raise
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    except ConnectionError as error:  # records.NetworkError: no internet, or no answer
        if os.environ.get(DEBUG_ENV):
            raise
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return 1


def _main(parser: argparse.ArgumentParser, argv: list[str] | None) -> int:
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="execute notebooks with papermill into build/<profile>/")
    run.add_argument("notebooks", nargs="*", help="stems or numbers (default: all)")
    run.add_argument("--profile", choices=sorted(PROFILES), default="student")
    run.add_argument("--data-dir", type=data_dir, help="directory of full PhysioNet databases")
    run.add_argument("--seed", type=seed, default=0, help="seed of every notebook (default 0)")
    run.add_argument(
        "--handouts",
        action="store_true",
        help="run the handouts (every exercise unanswered) into build/<profile>-handouts/: "
        "all but the stubs must run",
    )
    run.add_argument(
        "--probe-exercises",
        action="store_true",
        help="after every exercise, run its check on wrong answers; metrics.json says which it "
        "rejected",
    )

    sweep = sub.add_parser(
        "sweep", help="run notebooks at several seeds; summary in build/sweep/<profile>/"
    )
    sweep.add_argument("notebooks", nargs="*", help="stems or numbers (default: all)")
    sweep.add_argument("--profile", choices=sorted(PROFILES), default="student")
    sweep.add_argument("--seeds", type=seed, nargs="+", default=[0, 1, 2])
    sweep.add_argument("--data-dir", type=data_dir, help="directory of full PhysioNet databases")
    sweep.add_argument(
        "--summary-only",
        action="store_true",
        help="run nothing: summarise the latest runs in build/sweep/<profile>/seed<N>/",
    )
    sweep.add_argument(
        "--update-readme",
        nargs="+",
        metavar="PROFILE",
        help="only write README's numbers block from these profiles' latest sweeps",
    )

    handouts = sub.add_parser(
        "handouts", help="write the handouts: the notebooks with solutions -> stubs"
    )
    handouts.add_argument("notebooks", nargs="*", help="stems or numbers (default: all)")
    handouts.add_argument("--out", default=str(BUILD_DIR / "handouts"))

    copy = sub.add_parser(
        "copy", help="copy the notebooks, handouts and guide into a folder to work in"
    )
    copy.add_argument("dest", help="folder to write notebooks/, handouts/, workshop/ into")

    stamp = sub.add_parser(
        "stamp", help="write the public repository address into pyproject, notebooks, README"
    )
    stamp.add_argument("url", help="https://github.com/OWNER/REPO")

    lint = sub.add_parser("lint", help="check notebooks against notebooks/CONVENTIONS.md")
    lint.add_argument("notebooks", nargs="*", help="stems or numbers (default: all)")

    mutants = sub.add_parser(
        "mutants",
        help="run each notebook's lesson mutants (ci profile): which checks can fail; "
        "writes benchmarks/mutants.json and build/mutants/mutants.md",
    )
    mutants.add_argument("notebooks", nargs="*", help="stems or numbers (default: all)")

    timings = sub.add_parser("timings", help="run times from build/*/metrics.json as a table")
    timings.add_argument(
        "--update-guide", action="store_true", help="write the table into workshop/GUIDE.md"
    )

    pack = sub.add_parser("pack", help="rebuild or verify the course pack")
    pack.add_argument("--source", help="directory of full databases (mitdb/, ludb/, nstdb/)")
    pack.add_argument("--out", default=str(PACK_DIR))
    pack.add_argument("--verify", action="store_true", help="only check files against the manifest")

    fetch = sub.add_parser("fetch", help="download full databases from PhysioNet (internet)")
    fetch.add_argument("databases", nargs="+", choices=["mitdb", "ludb", "nstdb"])
    fetch.add_argument("--data-dir", required=True)

    predict = sub.add_parser(
        "predict",
        help="your own recording through a saved pipeline: a CSV of every beat's call, a PNG",
    )
    predict.add_argument("file", help="a .csv/.txt (one column of samples), .hea (WFDB) or .edf")
    predict.add_argument("--pipeline", required=True, help="folder notebook 8 saved (v_detector)")
    predict.add_argument("--fs", type=float, help="sampling rate in Hz (a CSV file needs it)")
    predict.add_argument("--units", choices=["mV", "uV", "counts"], help="a CSV file needs it")
    predict.add_argument("--gain", type=float, help="counts per mV (with --units counts)")
    predict.add_argument("--lead", help="the column (CSV header) or lead name to read")
    predict.add_argument("--out", default=".", help="folder for <name>_beats.csv and .png")

    doctor = sub.add_parser("doctor", help="check this machine is ready for the course")
    doctor.add_argument("--data-dir", help="directory of full PhysioNet databases to check")

    args = parser.parse_args(argv)
    if args.command in ("run", "sweep", "handouts", "lint", "mutants"):
        from ecgcourse.tooling.runner import resolve_notebooks

        try:
            resolve_notebooks(args.notebooks)  # an unknown name stops here, before any run
        except FileNotFoundError as error:
            parser.error(str(error))
    if args.command == "sweep" and len(set(args.seeds)) != len(args.seeds):
        parser.error(f"--seeds repeats a seed: {' '.join(map(str, args.seeds))}")
    if args.command in ("doctor", "fetch") and args.data_dir:
        folder = Path(args.data_dir).expanduser()
        if folder.exists() and not folder.is_dir():
            parser.error(f"--data-dir {args.data_dir} is not a folder")
        if args.command == "doctor" and not folder.is_dir():
            parser.error(f"--data-dir {args.data_dir} does not exist")
    if args.command == "lint":
        from ecgcourse.tooling.budgets import budget_problems, budget_table
        from ecgcourse.tooling.conventions import lint_notebook
        from ecgcourse.tooling.runner import resolve_notebooks

        notebooks = resolve_notebooks(args.notebooks)
        print(budget_table(notebooks), end="\n\n")
        problems = [p for nb in notebooks for p in lint_notebook(nb) + budget_problems(nb)]
        print("\n".join(problems) or "every notebook follows notebooks/CONVENTIONS.md")
        return 1 if problems else 0
    if args.command == "predict":
        from ecgcourse.predict import predict_recording, read_recording, write_predictions

        recording = read_recording(
            args.file, fs=args.fs, units=args.units, gain=args.gain, lead=args.lead
        )
        table = predict_recording(recording, args.pipeline)
        for path in write_predictions(recording, table, args.out):
            print(f"written: {path}")
        n_v = int(((table["called"] == "V") & ~table["abstained"]).sum())
        print(f"{len(table['called'])} beats: {n_v} called V, "
              f"{int(table['abstained'].sum())} abstained (the guard)")  # fmt: skip
        return 0
    if args.command == "doctor":
        from ecgcourse.tooling.doctor import report, run_checks

        checks = run_checks(Path(args.data_dir).expanduser() if args.data_dir else None)
        print(report(checks))
        return 0 if all(c.ok for c in checks) else 1
    if args.command == "sweep":
        from ecgcourse.tooling.sweep import run_sweep, sweep_dir, update_readme, write_summary

        if args.update_readme:
            print(f"written into {update_readme(args.update_readme)}")
            return 0
        if args.summary_only:
            summary = write_summary(args.profile, args.seeds)
        else:
            summary = run_sweep(args.notebooks, args.profile, args.seeds, args.data_dir)
        out = sweep_dir(args.profile)
        print(f"sweep: {out / 'sweep.md'}; {out / 'sweep.json'}")
        failing = [s for s, nb in summary["notebooks"].items() if not nb["passed_at_every_seed"]]
        if failing:
            print(f"failed at some seed: {', '.join(failing)}", file=sys.stderr)
        return 1 if failing else 0
    if args.command == "run":
        from ecgcourse.tooling.runner import KERNEL_LOG, output_dir, run_course

        runs = run_course(
            args.notebooks,
            args.profile,
            args.data_dir,
            seed=args.seed,
            handouts=args.handouts,
            probe_exercises=args.probe_exercises,
        )
        out = output_dir(args.profile, args.seed, handouts=args.handouts)
        failed = [stem for stem, info in runs.items() if info["status"] != "ok"]
        minutes = sum(info["seconds"] for info in runs.values()) / 60
        print(
            f"{len(runs) - len(failed)} of {len(runs)} notebooks ok ({minutes:.1f} min); "
            f"report: {out / 'index.html'}; kernel messages: {out / KERNEL_LOG}"
        )
        if failed:
            print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1 if failed else 0
    if args.command == "mutants":
        from ecgcourse.tooling.mutants import run_mutants, write_report
        from ecgcourse.tooling.runner import resolve_notebooks

        entries = {nb.stem: run_mutants(nb) for nb in resolve_notebooks(args.notebooks)}
        for stem, entry in entries.items():
            never = ", ".join(entry["never_failed"]) or "none"
            print(f"{stem}: {len(entry['mutants'])} mutant(s); no mutant failed: {never}")
        print(f"written: {write_report(entries)}")
        return 0
    if args.command == "handouts":
        from ecgcourse.tooling.exercises import write_student_copies
        from ecgcourse.tooling.runner import resolve_notebooks

        for path in write_student_copies(resolve_notebooks(args.notebooks), Path(args.out)):
            print(path)
        return 0
    if args.command == "copy":
        from ecgcourse.tooling.workspace import copy_course

        for folder in copy_course(args.dest):
            print(folder)
        return 0
    if args.command == "stamp":
        from ecgcourse.tooling.stamp import stamp

        for path in stamp(args.url):
            print(f"written: {path}")
        return 0
    if args.command == "timings":
        from ecgcourse.tooling.timings import (
            measured_seconds,
            merged_seconds,
            timing_table,
            update_guide,
        )

        # the guide keeps every time this machine has not measured again
        table = timing_table(merged_seconds() if args.update_guide else measured_seconds())
        print(table)
        if args.update_guide:
            print(f"written into {update_guide(table)}")
        return 0
    if args.command == "pack":
        from ecgcourse.tooling.pack import build_pack, pack_size_bytes, verify_pack

        if not args.verify:
            if not args.source:
                parser.error("pack needs --source DIR (or --verify)")
            build_pack(args.source, args.out)
        problems = verify_pack(args.out)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{args.out}: {pack_size_bytes(args.out) / 1e6:.1f} MB, {len(problems)} problem(s)")
        return 1 if problems else 0
    if args.command == "fetch":
        from ecgcourse.records import ChecksumError, fetch_database

        for db in args.databases:
            try:
                print(f"{db} -> {fetch_database(db, args.data_dir)}")
            except ChecksumError as exc:
                print(exc, file=sys.stderr)
                return 1
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
