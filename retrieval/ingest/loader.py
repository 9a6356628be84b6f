"""Walk a knowledge folder, read every supported file, collect chunks and problems."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.documents import Chunk
from retrieval.ingest.faq import read_faq
from retrieval.ingest.pages import read_html, read_markdown, read_text
from retrieval.ingest.phrasings import add_phrasings, is_phrasing_file, read_phrasings
from retrieval.ingest.problems import IngestError, LoadProblem
from retrieval.ingest.safety import find_injection

log = logging.getLogger(__name__)

FAQ_SUFFIXES = {".yaml", ".yml", ".csv", ".jsonl"}
PAGE_READERS = {".md": read_markdown, ".markdown": read_markdown, ".html": read_html,
                ".htm": read_html, ".txt": read_text}
SUPPORTED_SUFFIXES = FAQ_SUFFIXES | set(PAGE_READERS)


@dataclass
class LoadResult:
    chunks: list[Chunk] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[LoadProblem]:
        return [problem for problem in self.problems if problem.severity == "error"]


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise IngestError("binary file (contains NUL bytes), expected UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise IngestError(f"not UTF-8 text (byte {error.start})", line) from None
    if not text.strip():
        raise IngestError("empty file")
    return text


def _line_of(text: str, phrase: str) -> int | None:
    position = text.find(phrase)
    return text.count("\n", 0, position) + 1 if position >= 0 else None


def load_file(path: Path, root: Path, max_chars: int = 300, overlap: int = 1) -> LoadResult:
    """Load one file; never raises for bad content, reports it instead."""
    source = path.relative_to(root).as_posix()
    result = LoadResult()
    try:
        text = _decode(path.read_bytes())
        suffix = path.suffix.lower()
        if suffix in FAQ_SUFFIXES:
            items = list(read_faq(text, source, suffix))
        else:
            items = list(PAGE_READERS[suffix](text, source, max_chars, overlap))
    except IngestError as error:
        result.problems.append(LoadProblem(source, error.line, str(error), "error"))
        return result
    for item in items:
        if isinstance(item, IngestError):
            result.problems.append(LoadProblem(source, item.line, str(item), "error"))
            continue
        injected = find_injection("\n".join([item.title, item.text, *item.views]))
        if injected:
            result.problems.append(LoadProblem(
                source, _line_of(text, injected),
                f"quarantined chunk {item.chunk_id}: looks like prompt injection ('{injected}')", "warning"))
            continue
        result.chunks.append(item)
    return result


def load_knowledge(knowledge_dir: str | Path, max_chars: int = 300, overlap: int = 1) -> LoadResult:
    """Load every supported file under the folder (sorted, so ids and order are stable)."""
    root = Path(knowledge_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"knowledge folder not found: {root} (set retrieval.knowledge_dir)")
    result = LoadResult()
    seen: dict[str, str] = {}
    phrasing_files: list[Path] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES or path.name.startswith("."):
            continue
        if is_phrasing_file(path, root):
            phrasing_files.append(path)
            continue
        loaded = load_file(path, root, max_chars, overlap)
        for chunk in loaded.chunks:
            if chunk.chunk_id in seen:
                loaded.problems.append(LoadProblem(
                    chunk.source, None, f"duplicate id {chunk.chunk_id} (first in {seen[chunk.chunk_id]}); skipped",
                    "error"))
                continue
            seen[chunk.chunk_id] = chunk.source
            result.chunks.append(chunk)
        result.problems.extend(loaded.problems)
    for path in phrasing_files:  # after every item is loaded, wherever it lives
        phrasings, problems = read_phrasings(path, root)
        result.problems.extend(problems)
        result.problems.extend(add_phrasings(result.chunks, phrasings, path.relative_to(root).as_posix()))
    for problem in result.problems:
        log.warning("%s", problem)
    return result
