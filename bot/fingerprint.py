"""Content fingerprints that decide whether training or indexing has anything new to do."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

IGNORED_PARTS = {"__pycache__", ".pytest_cache"}


def fingerprint_files(paths: Iterable[Path], salt: str = "") -> str:
    """Hash the names and bytes of every file under `paths` (files or folders), in a stable order.

    Each file is named relative to the parent of the input it was found under, so the same
    project in two places (two clones, a test's temp copy) gets the same fingerprint. Missing
    paths count as empty; `salt` folds in anything else that changes the result, such as a
    library version.
    """
    digest = hashlib.sha256(salt.encode("utf-8"))
    entries = sorted(_named_files(paths))
    for name, file in entries:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def _named_files(paths: Iterable[Path]) -> Iterator[tuple[str, Path]]:
    for path in paths:
        if path.is_file():
            yield path.name, path
        elif path.is_dir():
            for file in path.rglob("*"):
                if file.is_file() and not IGNORED_PARTS.intersection(file.parts) and file.suffix != ".pyc":
                    yield str(file.relative_to(path.parent)), file
