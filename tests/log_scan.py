"""The end-of-run check that no log written during the tests holds unmasked personal data.

`pytest_sessionfinish` (tests/conftest.py) scans every `*.log` under the session's temporary
folders (each test stack writes its services' logs to `<tmp>/var/logs/`) and the project's
`var/logs/`, with the shared detector (rasa_plugins/text/pii.py). A finding fails the run and is
printed with its file and line, the value itself masked.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rasa_plugins.text.pii import find_pii, mask_pii

MAX_REPORTED = 20


def log_files(roots: Iterable[Path]) -> list[Path]:
    return sorted({path for root in roots if root.is_dir() for path in root.rglob("*.log") if path.is_file()})


def unmasked_personal_data(roots: Iterable[Path]) -> list[str]:
    """One line per log line that holds a personal value, as `file:line: kind: masked line`."""
    problems = []
    for path in log_files(roots):
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if findings := find_pii(line):
                    kinds = ",".join(sorted({finding.kind for finding in findings}))
                    problems.append(f"{path}:{number}: {kinds}: {mask_pii(line.strip())[:200]}")
    return problems
