"""Readers for every input format the eval suites accept (each raises LoaderError with a clear message)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator


class LoaderError(ValueError):
    """An input file that cannot be evaluated; the message names the file and what to change."""


def jsonl_rows(path: Path, kind: str, option: str, bad_json_hint: str = "") -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for each non-blank line of a JSONL file.

    `kind` names the file in errors ("QA file"), `option` is the command-line flag that gives it;
    `bad_json_hint` is appended to the error for a line that is not JSON.
    """
    if not path.exists():
        raise LoaderError(f"{kind} {path} does not exist; give a JSONL file with {option}")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            raise LoaderError(f"{path}:{number}: not JSON ({error.msg}){bad_json_hint}") from None
