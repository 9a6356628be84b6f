"""`kefu bench retrieval | load | all`: run the benchmarks, keep the figures as JSON under
var/bench/, regenerate docs/benchmarks.md. Progress goes to stderr; errors are one line."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.environments import CODE_ROOT
from eval.bench.conversations import DEFAULT_MIX, parse_mix, without_knowledge

DEFAULT_RESULTS = CODE_ROOT / "var" / "bench"
DEFAULT_DOC = CODE_ROOT / "docs" / "benchmarks.md"


class UsageError(ValueError):
    """A bad argument; the message says what to change."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line instead of the usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"{self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, e.g. 1000,10000; got {text!r}")
    if not sizes or any(size < 100 or size > 1_000_000 for size in sizes):
        raise argparse.ArgumentTypeError(f"each size must be between 100 and 1000000 chunks; got {text!r}")
    return sizes


def _bounded(kind: type, low: float, high: float) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}")
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}, got {text}")
        return value
    return parse


def _mix(text: str) -> dict[str, int]:
    try:
        mix = parse_mix(text)
        without_knowledge(mix)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--mix: "))
    return mix


def _model(text: str) -> Path:
    path = Path(text).resolve()
    if not path.is_file() or not path.name.endswith(".tar.gz"):
        raise argparse.ArgumentTypeError(f"{text} is not a trained model file (.tar.gz); see var/models/")
    return path


def _add_retrieval(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("retrieval")
    group.add_argument("--sizes", type=_sizes, default=[1000, 10000, 100000],
                       help="collection sizes (default 1000,10000,100000)")
    group.add_argument("--queries", type=_bounded(int, 5, 100_000), default=300,
                       help="timed queries per method and size")
    group.add_argument("--rank-bm25-queries", type=_bounded(int, 1, 10_000), default=5,
                       help="queries timed for rank-bm25, which takes seconds per query at 100k (default 5)")


def _add_load(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("load")
    group.add_argument("--customers", type=_bounded(int, 1, 500), default=20, help="concurrent simulated customers")
    group.add_argument("--duration", type=_bounded(float, 5, 3600), default=300,
                       help="seconds of the full-mix phase through the gateway (default 300)")
    group.add_argument("--compare-duration", type=_bounded(float, 5, 3600), default=None,
                       help="seconds of each comparison phase, kefu vs plain Rasa (default: --duration)")
    group.add_argument("--index-size", type=_bounded(int, 0, 1_000_000), default=100_000,
                       help="chunks in the knowledge index the action server searches (default 100000)")
    group.add_argument("--mix", type=_mix, default=DEFAULT_MIX,
                       help="conversation weights, default " + ",".join(f"{k}={v}" for k, v in DEFAULT_MIX.items()))
    group.add_argument("--model", type=_model, default=None,
                       help="a trained model (.tar.gz) to serve; default: the current bot's, trained if needed")
    group.add_argument("--max-turns", type=_bounded(int, 1, 10_000_000), default=1_000_000, help="turn cap per phase")
    group.add_argument("--think-time", type=_bounded(float, 0, 120), default=5.0,
                       help="mean seconds a customer pauses after each answer in the full-mix phase "
                            "(0 = closed loop; the comparison phases are always closed loop; default 5)")
    group.add_argument("--warm-up", type=_bounded(float, 0, 600), default=5.0,
                       help="seconds not counted at each phase start")
    group.add_argument("--rasa-workers", type=_bounded(int, 1, 8), default=None,
                       help="Rasa processes behind the gateway (default: rasa.workers in kefu.yml); "
                            "the plain-Rasa baseline always uses one")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kefu bench", description="Retrieval and full-stack load benchmarks; "
                                     "results go to var/bench/*.json and docs/benchmarks.md.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parsers = {
        "retrieval": commands.add_parser("retrieval", help="retrieval latency, throughput, build rate, memory vs size"),
        "load": commands.add_parser("load", help="N simulated customers through the real stack, vs plain Rasa"),
        "all": commands.add_parser("all", help="retrieval, then load"),
        "startup": commands.add_parser("startup", help="second-run `kefu up` to ready, and where the time goes"),
        "gateway": commands.add_parser("gateway", help="the gateway's own overhead per message, vs an instant responder"),
        "desk": commands.add_parser("desk", help="agents' suggested answers: latency and top-3 hits, vs rank-bm25"),
    }
    for name, sub in parsers.items():
        if name in ("retrieval", "all"):
            _add_retrieval(sub)
        if name in ("load", "all"):
            _add_load(sub)
        if name == "gateway":
            sub.add_argument("--messages", type=_bounded(int, 10, 100_000), default=400,
                             help="messages timed on each side (default 400)")
            sub.add_argument("--senders", type=_bounded(int, 1, 10_000), default=20,
                             help="conversations the messages rotate over (default 20)")
        if name == "desk":
            sub.add_argument("--rounds", type=_bounded(int, 1, 100), default=5,
                             help="times each grounding question is sent (default 5; hits count the first)")
        if name == "startup":
            sub.add_argument("--runs", type=_bounded(int, 1, 20), default=3,
                             help="how many times to start and stop the stack (default 3)")
        sub.add_argument("--embed-sample", type=_bounded(int, 1, 1_000_000), default=2000,
                         help="synthetic passages really embedded; the rest are noisy copies (default 2000)")
        sub.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS, help="where JSON results go (var/bench)")
        sub.add_argument("--doc", type=Path, default=DEFAULT_DOC, help="the markdown page to regenerate")
    return parser


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _save(results_dir: Path, name: str, result: dict[str, Any]) -> None:
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def _run(args: argparse.Namespace, argv: list[str]) -> None:
    from eval.bench.report import write_report

    if args.command == "gateway":
        from eval.bench.gateway_overhead import main as gateway_overhead

        gateway_overhead(["--messages", str(args.messages), "--senders", str(args.senders)])
        return
    if args.command == "desk":
        from eval.bench.desk_bench import run_desk

        _save(args.results_dir, "desk", run_desk(args.rounds, _say, argv))
        _say(f"wrote {write_report(args.results_dir, args.doc)}")
        return
    if args.command == "startup":
        from eval.bench.startup import bench_startup

        summary = bench_startup(args.runs, args.results_dir / "startup.json", argv)
        _say(f"median ready time {summary['median_ready_seconds']:.1f} s (target {summary['target_seconds']:.0f} s)")
        _say(f"wrote {write_report(args.results_dir, args.doc)}")

    if args.command in ("retrieval", "all"):
        from eval.bench.retrieval_run import run_retrieval

        _save(args.results_dir, "retrieval", run_retrieval(
            args.sizes, args.queries, args.rank_bm25_queries, args.embed_sample, _say, argv))
        _say(f"wrote {write_report(args.results_dir, args.doc)}")
    if args.command in ("load", "all"):
        from eval.bench.load_run import LoadOptions, run_load

        options = LoadOptions(customers=args.customers, duration_s=args.duration,
                              compare_s=args.compare_duration or args.duration, index_size=args.index_size,
                              mix=tuple(args.mix.items()), max_turns=args.max_turns, warm_up_s=args.warm_up,
                              think_s=args.think_time, embed_sample=args.embed_sample, model=args.model,
                              rasa_workers=args.rasa_workers)
        _save(args.results_dir, "load", run_load(options, args.results_dir, _say, argv))
        _say(f"wrote {write_report(args.results_dir, args.doc)}")


def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse already printed usage and the one-line error
        return int(exit_.code or 0)
    from bot.config import ConfigError
    from bot.environments import EnvironmentNotReady
    from bot.supervisor import StartupError
    from bot.training import TrainingError
    from eval.bench.retrieval_run import BenchFailed

    args.results_dir, args.doc = args.results_dir.resolve(), args.doc.resolve()
    try:
        _run(args, argv)
        return 0
    except (ConfigError, EnvironmentNotReady, StartupError, TrainingError, BenchFailed, OSError) as error:
        print(f"kefu bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        _say("interrupted: every server this run started has been stopped")
        return 130
