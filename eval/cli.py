"""`kefu eval`: measure the bot and write DIR/results.json and DIR/report.html.

    kefu eval all [--quick] [--out DIR]            every suite, one stack start
    kefu eval retrieval,rag                        a comma-separated subset
    kefu eval rag --qa my_questions.jsonl          your own data (see docs/evaluation.md)
    kefu eval compare A.json B.json                what got better or worse

The exit code is 1 when a threshold of eval/thresholds.yml fails or a suite errors.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from eval.suites import ON_REQUEST, ORDER
from eval.suites.context import REPO, EvalContext

DEFAULT_ROOT = REPO / "var" / "eval"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu eval", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("suites", metavar="SUITE", help=f"{'|'.join(ORDER)}|all, or a comma-separated list")
    parser.add_argument("--quick", action="store_true", help="the fast subset of each suite (what CI runs)")
    parser.add_argument("--out", type=Path, help="output folder (default: var/eval/<timestamp>, linked as var/eval/latest)")
    parser.add_argument("--qa", type=Path, help="JSONL {question, answer, doc_id} for retrieval, rag and rag_live")
    parser.add_argument("--stories", type=Path, help="Rasa test-story file or folder (default: eval/data/test_stories)")
    parser.add_argument("--dialogues", type=Path, help="scripted dialogue YAML file or folder (default: eval/data/dialogues)")
    parser.add_argument("--handoff", type=Path, help="JSONL {conversation, should_handoff} (default: eval/data/handoff_labels.jsonl)")
    parser.add_argument("--dataset", help="cic | clinc150 | banking77 | PATH (Rasa NLU YAML for nlu, .jsonl QA for retrieval/rag)")
    parser.add_argument("--gateway", help="use this running gateway (with --rasa) instead of starting the stack")
    parser.add_argument("--rasa", help="the Rasa server of that stack, e.g. http://127.0.0.1:5005")
    parser.add_argument("--stack-config", default=None,
                        help="that stack's kefu.yml, whose identity secret signs the tokens of identified customers "
                             "(default: $KEFU_EVAL_STACK_CONFIG, else this project's kefu.yml)")
    parser.add_argument("--blind", type=Path, help="blind set folder for the blind suite (default: eval/data/blind; "
                        "tune on eval/data/blind_dev)")
    parser.add_argument("--jddc-labels", type=Path, dest="jddc_labels",
                        help="route labels for the jddc_routes suite (default: eval/data/jddc_routes.tsv, the test "
                        "labels; tune on eval/data/jddc_routes_dev.tsv)")
    parser.add_argument("--risk-set", type=Path, dest="risk_set", help="blind risk set folder for the risk suite "
                        "(default: eval/data/blind_risk; tune on eval/data/blind_risk_dev)")
    parser.add_argument("--replay-count", type=int, dest="replay_count",
                        help="how many real messages the replay suite sends (default 2000, 300 with --quick)")
    parser.add_argument("--thresholds", type=Path, help="thresholds file (default: eval/thresholds.yml)")
    return parser


def suite_names(argument: str) -> list[str]:
    names = [n for n in ORDER if n not in ON_REQUEST] if argument == "all" else [n.strip() for n in argument.split(",") if n.strip()]
    unknown = [n for n in names if n not in ORDER]
    if unknown or not names:
        raise ValueError(f"unknown suite {', '.join(unknown) or repr(argument)}; use {', '.join(ORDER)}, all or compare")
    return [n for n in ORDER if n in names]


def output_dir(out: Path | None) -> Path:
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        return out
    folder = DEFAULT_ROOT / datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    latest = DEFAULT_ROOT / "latest"
    if latest.is_symlink() or latest.exists():
        latest.unlink()
    latest.symlink_to(folder.name)
    return folder


def _clean(value: Any) -> Any:
    """NaN is not JSON: write null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def print_summary(results: dict[str, Any]) -> None:
    for name, suite in results["suites"].items():
        if suite["status"] != "ok":
            print(f"{name:<14} {suite['status'].upper()}: {suite.get('message', '')}")
            continue
        shown = list(suite["metrics"].items())[:6]
        print(f"{name:<14} " + "  ".join(f"{k} {v}" for k, v in shown) + (" …" if len(suite["metrics"]) > 6 else ""))
    for row in results["thresholds"]:
        if row["passed"] is False:
            print(f"FAIL {row['suite']}.{row['metric']}: {row['actual']} (min {row.get('min', '-')}, max {row.get('max', '-')})"
                  + (f" {row['note']}" if row.get("note") else ""))


def evaluate(args: argparse.Namespace, argv: list[str]) -> int:
    from eval.report.html import write_report
    from eval.report.thresholds import DEFAULT_THRESHOLDS, check, gate_passed, load_thresholds
    from eval.suites.runner import run_suites

    names = suite_names(args.suites)
    thresholds = load_thresholds(args.thresholds or DEFAULT_THRESHOLDS)
    for name in ("qa", "stories", "dialogues", "handoff", "blind", "jddc_labels", "risk_set"):
        path = getattr(args, name)
        if path is not None and not path.exists():
            raise ValueError(f"--{name.replace('_', '-')} {path}: no such file or folder")
    folder = output_dir(args.out)
    options = {k: getattr(args, k) for k in ("qa", "stories", "dialogues", "handoff", "blind", "dataset", "gateway",
                                             "rasa", "replay_count", "stack_config", "jddc_labels", "risk_set")}
    ctx = EvalContext(folder, quick=args.quick, options=options)
    results = run_suites(names, ctx, "kefu eval " + " ".join(argv))
    results["thresholds"] = check(results, thresholds)
    results["passed"] = gate_passed(results["thresholds"]) and all(
        s["status"] != "error" for s in results["suites"].values())
    results = _clean(results)
    (folder / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    write_report(results, folder / "report.html", nlu_png_dir=folder)
    print_summary(results)
    print(f"{'PASSED' if results['passed'] else 'FAILED'}: {folder / 'results.json'}\nreport: {folder / 'report.html'}")
    return 0 if results["passed"] else 1


def main(argv: list[str]) -> int:
    if argv and argv[0] == "compare":
        from eval.compare import main as compare_main

        return compare_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return evaluate(args, argv)
    except ValueError as error:
        print(f"kefu eval: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
