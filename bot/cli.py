"""The `kefu` command line: one entry point for running, training, indexing and testing the bot.

Every sub-command is one row of COMMANDS: its name, its help line, the arguments it takes and the
function that runs it. Handlers import what they need when they run, so `kefu up` never imports
the evaluation or benchmark code.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.config import ConfigError, KefuConfig, load_config
from bot.environments import EnvironmentNotReady, rasa_python
from bot.training import TrainingError, ensure_trained


@dataclass(frozen=True)
class Command:
    """One `kefu` sub-command. `run(args, config)` returns the exit code. A command with `own_parser`
    parses its own arguments: `run(argv)` gets everything after its name (`kefu eval ...`)."""

    name: str
    help: str
    run: Callable[..., int]
    arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    own_parser: bool = False


def _setup(args: argparse.Namespace, config: KefuConfig) -> int:
    print(f"Rasa environment: {rasa_python()}\nKefu environment: {sys.executable}")
    return 0


def _up_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-train", action="store_true", help="fail instead of training when no model fits the inputs")


def _up(args: argparse.Namespace, config: KefuConfig) -> int:
    from bot.up import run_stack

    return run_stack(config, allow_training=not args.no_train)


def _train_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="train even if a model for these inputs exists")


def _train(args: argparse.Namespace, config: KefuConfig) -> int:
    result = ensure_trained(config, force=args.force)
    state = f"trained in {result.seconds:.0f} s" if result.trained else "up to date"
    print(f"model {result.model_path} ({state})")
    return 0


def _index_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed (unchanged vectors are reused)")


def _index(args: argparse.Namespace, config: KefuConfig) -> int:
    from bot.knowledge_index import build_knowledge_index

    print(build_knowledge_index(config, show_progress=True, force=args.force))
    return 0


def _chat_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sender", default=None, help="guest id to chat as (default: a new one); not an identity")
    parser.add_argument("--account", default=None,
                        help="chat as this logged-in shop account, e.g. u10001 (signs an identity token with "
                             "the stack's secret, as the shop's site would)")


def _chat(args: argparse.Namespace, config: KefuConfig) -> int:
    from bot.chat import chat_loop

    return chat_loop(config, sender=args.sender, account=args.account)


def _identity_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("account", help="the shop account id the token proves, e.g. u10001")
    parser.add_argument("--minutes", type=float, default=60.0, help="how long the token is valid (default 60)")
    parser.add_argument("--name", default=None, help="optional display name claim")


def _identity(args: argparse.Namespace, config: KefuConfig) -> int:
    from bot.gateway.identity import sign_identity

    claims = {"name": args.name} if args.name else {}
    print(sign_identity(config, args.account, minutes=args.minutes, **claims))
    return 0


def _test_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER)


def _test(args: argparse.Namespace, config: KefuConfig) -> int:
    command = [sys.executable, "-m", "pytest", *(args.pytest_args or ["tests"])]
    return subprocess.call(command, cwd=config.root)


def _eval(argv: list[str]) -> int:
    from eval.cli import main

    return main(argv)


def _bench(argv: list[str]) -> int:
    from eval.bench.cli import main

    return main(argv)


def _data(argv: list[str]) -> int:
    if argv[:1] == ["purge"]:
        from bot.privacy.purge_cli import main as purge_main

        try:
            return purge_main(argv[1:], load_config())
        except ConfigError as error:
            print(f"kefu: {error}", file=sys.stderr)
            return 1
    from eval.nlu.doctor_cli import main

    return main(argv)


COMMANDS: tuple[Command, ...] = (
    Command("setup", "check the environments and the offline model (./kefu installs them)", _setup),
    Command("up", "train and index if needed, start Rasa, actions and gateway; Ctrl-C stops all", _up, _up_arguments),
    Command("train", "train the Rasa model if its inputs changed", _train, _train_arguments),
    Command("index", "build the knowledge index (only changed documents are embedded)", _index, _index_arguments),
    Command("chat", "chat with the running stack in this terminal", _chat, _chat_arguments),
    Command("identity", "sign an identity token for a shop account with the HS256 secret (docs/security.md)",
            _identity, _identity_arguments),
    Command("test", "run the whole test suite (pytest arguments may follow)", _test, _test_arguments),
    Command("eval", "evaluation suites: nlu, retrieval, rag, conversations, handoff, latency, all, compare",
            _eval, own_parser=True),
    Command("bench", "benchmarks: retrieval, load (results go to docs/benchmarks.md)", _bench, own_parser=True),
    Command("data", "data tools: doctor (NLU examples), purge (retention and erasure, docs/security.md)",
            _data, own_parser=True),
)
BY_NAME = {command.name: command for command in COMMANDS}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description="Kefu (客服): run, train, index and test the service bot.")
    parser.add_argument("--config", help="the stack's config file (default: kefu.yml, or $KEFU_CONFIG)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help, add_help=not command.own_parser)
        if command.own_parser:
            sub.add_argument("rest", nargs=argparse.REMAINDER)
        else:
            command.arguments(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    command = BY_NAME[args.command]
    if command.own_parser:
        return _run_own_parser(command, [*extra, *args.rest], args.config)
    if extra and command.name != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if command.name == "test":
        args.pytest_args = [*extra, *args.pytest_args]
    try:
        config = load_config(args.config)
        os.environ["KEFU_CONFIG"] = str(Path(args.config or os.environ.get("KEFU_CONFIG") or "kefu.yml").resolve())
        return command.run(args, config)
    except (ConfigError, EnvironmentNotReady, TrainingError) as error:
        print(f"kefu: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _run_own_parser(command: Command, argv: list[str], config_path: str | None) -> int:
    """Hand `kefu <command> ...` to the code that owns that command family."""
    if config_path:
        os.environ["KEFU_CONFIG"] = str(Path(config_path).resolve())
    try:
        return int(command.run(argv) or 0)
    except KeyboardInterrupt:
        return 130
