"""FAQ files (YAML, CSV, JSONL): one item = one question, its phrasings, an answer."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterator

import yaml

from retrieval.documents import Chunk, content_hash
from retrieval.ingest.problems import IngestError

PHRASING_KEYS = ("phrasings", "alternatives", "similar_questions")
LIST_SEPARATOR = "|"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping as `__line__`."""


def _construct_mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_with_line)


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
    if isinstance(value, list):
        return [str(part).strip() for part in value if str(part).strip()]
    raise IngestError(f"expected a list or '{LIST_SEPARATOR}'-separated text, got {type(value).__name__}")


def faq_item_to_chunk(item: dict[str, Any], source: str, index: int, default_category: str = "") -> Chunk:
    """Validate one FAQ item and build its chunk; raise IngestError naming what is missing."""
    line = item.get("__line__")
    question = str(item.get("question") or "").strip()
    answer = str(item.get("answer") or "").strip()
    if not question or not answer:
        missing = "question" if not question else "answer"
        raise IngestError(f"FAQ item has no '{missing}'", line)
    phrasings = next((_as_list(item[key]) for key in PHRASING_KEYS if key in item), [])
    links = _as_list(item.get("links"))
    category = str(item.get("category") or default_category).strip()
    item_id = str(item.get("id") or f"{source}#{index}")
    body = "\n".join([question, *phrasings, answer])
    return Chunk(
        chunk_id=item_id,
        doc_id=item_id,
        version=content_hash(body + category + "|".join(links)),
        source=source,
        title=question,
        text=f"{question}\n{answer}",
        views=[question, *phrasings, f"{question} {answer}"],
        kind="faq",
        answer=answer,
        category=category,
        links=links,
    )


def _yaml_items(text: str) -> tuple[list[dict[str, Any]], str]:
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise IngestError(f"malformed YAML: {getattr(error, 'problem', error)}", mark.line + 1 if mark else None)
    if isinstance(data, dict):
        return list(data.get("items") or []), str(data.get("category") or "")
    if isinstance(data, list):
        return data, ""
    raise IngestError("YAML FAQ must be a list of items or a mapping with 'items'")


def _csv_items(text: str) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "question" not in reader.fieldnames:
        raise IngestError("CSV FAQ needs a header row with at least 'question' and 'answer'", 1)
    for row in reader:
        yield {**row, "__line__": reader.line_num}


def _jsonl_items(text: str) -> Iterator[dict[str, Any] | IngestError]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield IngestError(f"malformed JSON: {error.msg}", number)
            continue
        if not isinstance(item, dict):
            yield IngestError("each JSONL line must be an object", number)
            continue
        yield {**item, "__line__": number}


def read_faq(text: str, source: str, suffix: str) -> Iterator[Chunk | IngestError]:
    """Yield a chunk per good item and an IngestError per bad one (the file keeps loading)."""
    category = ""
    if suffix in (".yaml", ".yml"):
        items, category = _yaml_items(text)
    elif suffix == ".csv":
        items = _csv_items(text)
    else:
        items = _jsonl_items(text)
    for index, item in enumerate(items):
        if isinstance(item, IngestError):
            yield item
            continue
        if not isinstance(item, dict):
            yield IngestError(f"FAQ item {index + 1} is not a mapping")
            continue
        try:
            yield faq_item_to_chunk(item, source, index, category)
        except IngestError as error:
            yield error
