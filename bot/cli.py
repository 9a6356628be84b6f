"""The `kefu` command line: one entry point for running, training, indexing and testing the bot."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from bot.config import ConfigError, KefuConfig, load_config
from bot.environments import EnvironmentNotReady, rasa_python
from bot.training import TrainingError, ensure_trained

# Sub-command families with their own argument parsers: `kefu eval ...` runs eval.cli.main(argv).
DELEGATED = {
    "eval": ("eval.cli", "evaluation suites: nlu, retrieval, rag, conversations, handoff, latency, all, compare"),
    "bench": ("eval.bench.cli", "benchmarks: retrieval, load (results go to docs/benchmarks.md)"),
    "data": ("eval.nlu.doctor_cli", "NLU data tools for designers: doctor"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description="Kefu (客服): run, train, index and test the service bot.")
    parser.add_argument("--config", help="the stack's config file (default: kefu.yml, or $KEFU_CONFIG)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("setup", help="check the environments and the offline model (./kefu installs them)")
    up = commands.add_parser("up", help="train and index if needed, start Rasa, actions and gateway; Ctrl-C stops all")
    up.add_argument("--no-train", action="store_true", help="fail instead of training when no model fits the inputs")
    train = commands.add_parser("train", help="train the Rasa model if its inputs changed")
    train.add_argument("--force", action="store_true", help="train even if a model for these inputs exists")
    index = commands.add_parser("index", help="build the knowledge index (only changed documents are embedded)")
    index.add_argument("--force", action="store_true", help="rebuild even if nothing changed (unchanged vectors are reused)")
    chat = commands.add_parser("chat", help="chat with the running stack in this terminal")
    chat.add_argument("--sender", default=None, help="customer id to chat as (default: a new one)")
    test = commands.add_parser("test", help="run the whole test suite (pytest arguments may follow)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    for name, (_module, summary) in DELEGATED.items():
        delegated = commands.add_parser(name, help=summary, add_help=False)
        delegated.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command in DELEGATED:
        return _run_delegated(args.command, [*extra, *args.rest], args.config)
    if extra and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "test":
        args.pytest_args = [*extra, *args.pytest_args]
    try:
        config = load_config(args.config)
        os.environ["KEFU_CONFIG"] = str(Path(args.config or os.environ.get("KEFU_CONFIG") or "kefu.yml").resolve())
        return _dispatch(args, config)
    except (ConfigError, EnvironmentNotReady, TrainingError) as error:
        print(f"kefu: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _run_delegated(command: str, argv: list[str], config_path: str | None) -> int:
    """Hand `kefu <command> ...` to the module that owns that command family."""
    import importlib

    if config_path:
        os.environ["KEFU_CONFIG"] = str(Path(config_path).resolve())
    module = importlib.import_module(DELEGATED[command][0])
    try:
        return int(module.main(argv) or 0)
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, config: KefuConfig) -> int:
    if args.command == "setup":
        print(f"Rasa environment: {rasa_python()}\nKefu environment: {sys.executable}")
        return 0
    if args.command == "train":
        result = ensure_trained(config, force=args.force)
        state = f"trained in {result.seconds:.0f} s" if result.trained else "up to date"
        print(f"model {result.model_path} ({state})")
        return 0
    if args.command == "index":
        from bot.knowledge_index import build_knowledge_index

        print(build_knowledge_index(config, show_progress=True, force=args.force))
        return 0
    if args.command == "up":
        from bot.up import run_stack

        return run_stack(config, allow_training=not args.no_train)
    if args.command == "chat":
        from bot.chat import chat_loop

        return chat_loop(config, sender=args.sender)
    if args.command == "test":
        return _run_tests(config, args.pytest_args)
    raise AssertionError(f"unhandled command {args.command}")


def _run_tests(config: KefuConfig, pytest_args: list[str]) -> int:
    command = [sys.executable, "-m", "pytest", *(pytest_args or ["tests"])]
    return subprocess.call(command, cwd=config.root)
