"""Phrasing files: more ways to ask for FAQ items that live elsewhere, e.g. English questions for a
Chinese knowledge base, kept apart so the service team's FAQ files stay in one language.

A phrasing file is any YAML file in a folder named `phrasings` (knowledge/phrasings/en.yaml):

    language: en
    items:
      ship-dispatch-time: [when will my order ship?, ...]

Each phrasing becomes one more view of the item's chunk, so the retrievers match it like the
item's own phrasings; the answer stays the item's. Unknown ids and phrasings that look like prompt
injection are reported and skipped, never fatal.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from retrieval.documents import Chunk, content_hash
from retrieval.ingest.problems import LoadProblem
from retrieval.ingest.safety import find_injection

PHRASINGS_FOLDER = "phrasings"


def is_phrasing_file(path: Path, root: Path) -> bool:
    return PHRASINGS_FOLDER in path.relative_to(root).parts[:-1] and path.suffix.lower() in (".yaml", ".yml")


def read_phrasings(path: Path, root: Path) -> tuple[dict[str, list[str]], list[LoadProblem]]:
    """Item id -> phrasings from one file, and what was wrong with it."""
    source = path.relative_to(root).as_posix()
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return {}, [LoadProblem(source, None, f"unreadable phrasing file: {error}", "error")]
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, dict):
        return {}, [LoadProblem(source, None, "a phrasing file needs `items:` mapping item ids to lists of "
                                              "phrasings", "error")]
    phrasings: dict[str, list[str]] = {}
    problems: list[LoadProblem] = []
    for item_id, texts in items.items():
        if not isinstance(texts, list):
            problems.append(LoadProblem(source, None, f"{item_id}: expected a list of phrasings", "error"))
            continue
        kept = [str(text).strip() for text in texts if str(text).strip()]
        injected = find_injection("\n".join(kept))
        if injected:
            problems.append(LoadProblem(source, None, f"{item_id}: phrasings quarantined, they look like prompt "
                                                      f"injection ('{injected}')", "warning"))
            continue
        phrasings[str(item_id)] = kept
    return phrasings, problems


def add_phrasings(chunks: list[Chunk], phrasings: dict[str, list[str]], source: str) -> list[LoadProblem]:
    """Give each chunk its extra phrasings as views (in place); report ids no chunk has."""
    by_id = {chunk.chunk_id: index for index, chunk in enumerate(chunks)}
    problems = []
    for item_id, texts in phrasings.items():
        index = by_id.get(item_id)
        if index is None:
            problems.append(LoadProblem(source, None, f"no FAQ item with id {item_id}; its phrasings are unused",
                                        "warning"))
            continue
        chunk = chunks[index]
        chunks[index] = replace(chunk, views=[*chunk.views, *texts],
                                version=content_hash(chunk.version + "\n".join(texts)))
    return problems
