"""`kefu data ...`: NLU data tools for designers. Sub-command: doctor (`purge` is bot/privacy/purge_cli.py).

    kefu data doctor [--data nlu_data/] [--folds 5] [--json-out FILE]
    kefu data doctor --dataset cic            # CIC train.json: its deliberate label noise
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.environments import CODE_ROOT, datasets_dir
from eval.nlu.doctor import CONFIDENCE, LABEL_PROBABILITY, SIMILARITY, Finding, diagnose
from eval.nlu.doctor_data import DoctorDataError, read_cic, read_nlu
from eval.nlu.doctor_table import render_summary, render_table

CIC_TRAIN = datasets_dir() / "cic" / "train.json"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu data", description="NLU data tools for designers.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("purge", add_help=False,
                        help="delete old conversations, or one account's, from both stores (kefu data purge --help)")
    doctor = commands.add_parser("doctor", help="find likely mislabelled and duplicated NLU examples")
    doctor.add_argument("--data", type=Path, default=None,
                        help="Rasa NLU YAML file or folder (default: nlu_data/); with --dataset cic, CIC JSON lines")
    doctor.add_argument("--dataset", choices=["nlu", "cic"], default="nlu",
                        help="nlu: Rasa YAML (default); cic: CIC JSON lines (default ../shared/datasets/cic/train.json)")
    doctor.add_argument("--folds", type=int, default=5, help="cross-validation folds (2-20, default 5)")
    doctor.add_argument("--similarity", type=float, default=SIMILARITY,
                        help=f"char n-gram cosine for near-duplicates (default {SIMILARITY})")
    doctor.add_argument("--confidence", type=float, default=CONFIDENCE,
                        help=f"probability of another intent to flag a label (default {CONFIDENCE})")
    doctor.add_argument("--label-probability", type=float, default=LABEL_PROBABILITY,
                        help=f"flag only if the labelled intent gets less than this (default {LABEL_PROBABILITY})")
    doctor.add_argument("--limit", type=int, default=60, help="rows to print (all go to --json-out); 0 = all")
    doctor.add_argument("--json-out", type=Path, default=None, help="write every finding to this JSON file")
    return parser


def _validate(args: argparse.Namespace) -> str | None:
    if not 2 <= args.folds <= 20:
        return f"--folds must be between 2 and 20, got {args.folds}"
    for name in ("similarity", "confidence", "label_probability"):
        if not 0.0 < getattr(args, name) <= 1.0:
            return f"--{name.replace('_', '-')} must be in (0, 1], got {getattr(args, name)}"
    return None


def _progress(fold: int, folds: int) -> None:
    print(f"[doctor] cross-validation fold {fold}/{folds}", file=sys.stderr, flush=True)


def run_doctor(args: argparse.Namespace) -> int:
    problem = _validate(args)
    if problem:
        print(f"kefu data doctor: {problem}", file=sys.stderr)
        return 2
    try:
        if args.dataset == "cic":
            examples = read_cic(args.data or CIC_TRAIN)
        else:
            examples = read_nlu(args.data or CODE_ROOT / "nlu_data")
    except (DoctorDataError, ValueError) as error:
        print(f"kefu data doctor: {error}", file=sys.stderr)
        return 1
    print(f"[doctor] {len(examples)} examples, {len({e.intent for e in examples})} intents", file=sys.stderr)
    findings: list[Finding] = diagnose(examples, args.folds, args.similarity, args.confidence,
                                       args.label_probability, _progress)
    print(render_table(findings, args.limit))
    print(render_summary(findings, len(examples)))
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        report = {"examples": len(examples), "folds": args.folds, "findings": [f.as_dict() for f in findings]}
        args.json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"all findings: {args.json_out}")
    return 0


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "doctor":
        return run_doctor(args)
    return 2
