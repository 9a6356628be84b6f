"""`kefu data purge`: retention (`--older-than-days`, default `privacy.retention_days`) or erasure
of one customer's data (`--account`), in the gateway's store and Rasa's tracker store."""
from __future__ import annotations

import argparse
import sys

from bot.config import ConfigError, KefuConfig
from bot.privacy.purge import purge


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu data purge", description=__doc__)
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--older-than-days", type=float, default=None,
                        help="delete conversations that ended longer ago (default: privacy.retention_days in kefu.yml)")
    chosen.add_argument("--account", default=None,
                        help="erase every conversation of this shop account (a verified customer), live ones too")
    parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    return parser


def main(argv: list[str], config: KefuConfig) -> int:
    args = build_parser().parse_args(argv)
    days = None if args.account else (config.privacy.retention_days if args.older_than_days is None
                                      else args.older_than_days)
    try:
        report = purge(config, older_than_days=days, account=args.account, dry_run=args.dry_run)
    except (ConfigError, ValueError) as error:
        print(f"kefu data purge: {error}", file=sys.stderr)
        return 2
    scope = f"account {args.account}" if args.account else f"conversations ended over {days:g} days ago"
    print(f"kefu data purge ({scope}): {report}")
    return 0
