"""Suggested answers for agents (智能推荐回复): the knowledge items nearest the customer's latest
message, with their citations, shown beside the reply box.

The gateway reads the same index the bot answers from (`kefu index` writes it; paths from kefu.yml),
with the same normalisation, so an agent sees what the bot would have cited. Loading takes seconds
(the e5 model): it happens in the background at start; until then, or without an index, there are
no suggestions and the console says why. Reloads when `kefu index` rewrites the index.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import KefuConfig
from bot.knowledge_index import retrieval_settings
from rasa_plugins.text.normalize import normalize_text

logger = logging.getLogger("kefu.gateway.suggestions")
MAX_QUERY_CHARS = 300  # a suggestion needs the question, not a whole pasted page
CANDIDATE_FACTOR = 4  # chunks asked for per suggestion, so that several chunks of one item still leave k items


@dataclass(frozen=True)
class Suggestion:
    doc_id: str
    title: str
    text: str
    source: str
    link: str | None
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "text": self.text, "source": self.source,
                "link": self.link, "score": round(self.score, 4)}


class Suggester:
    def __init__(self, config: KefuConfig) -> None:
        self.settings = retrieval_settings(config)
        self.count = config.desk.suggestions
        self.problem: str | None = "知识库正在加载"
        self._retriever: Any = None
        self._service: Any = None  # the bot's KnowledgeService on the same index: answers while a customer waits
        self._loaded_mtime: float | None = None
        self._lock = threading.Lock()

    @property
    def _manifest(self) -> Path:
        return Path(self.settings.index_dir) / "manifest.json"

    def warm_up(self) -> bool:
        """Load the index (blocking; the app calls it in a thread at start). False when it cannot."""
        from retrieval.service import KnowledgeService  # numpy, faiss, onnxruntime: only when suggestions are wanted

        try:
            mtime = self._manifest.stat().st_mtime if self._manifest.exists() else None
            service = KnowledgeService(self.settings)
            service.reload()
        except Exception as error:  # noqa: BLE001 - no suggestions is a degraded desk, not a broken one
            self.problem = f"没有可用的知识库索引（{str(error)[:120]}）"
            logger.warning("suggested answers are off: %s", error)
            return False
        with self._lock:
            self._service, self._retriever, self._loaded_mtime, self.problem = service, service.retriever, mtime, None
        return True

    def _current(self) -> Any:
        with self._lock:
            retriever, loaded = self._retriever, self._loaded_mtime
        try:
            changed = loaded is not None and self._manifest.stat().st_mtime != loaded
        except OSError:
            changed = False
        if changed:
            logger.info("the knowledge index changed on disk; suggestions reload it")
            self.warm_up()
            with self._lock:
                retriever = self._retriever
        return retriever

    def answer(self, text: str) -> Any:
        """The bot's own grounded answer to `text` (KnowledgeAnswer: the same abstain checks and gates
        as in a conversation with the bot), or None before the index is loaded. Blocking."""
        query = normalize_text(text or "").strip()[:MAX_QUERY_CHARS]
        self._current()
        with self._lock:
            service = self._service
        return service.answer(query) if query and service is not None else None

    def suggest(self, text: str, count: int | None = None) -> list[Suggestion]:
        """The best `count` distinct items for `text` (blocking: call off the event loop)."""
        query = normalize_text(text or "").strip()[:MAX_QUERY_CHARS]
        retriever = self._current()
        if not query or retriever is None:
            return []
        wanted = count or self.count
        found: dict[str, Suggestion] = {}
        for hit in retriever.run(query, top_k=wanted * CANDIDATE_FACTOR)["hits"]:
            chunk = hit.chunk
            if chunk.doc_id not in found:
                found[chunk.doc_id] = Suggestion(chunk.doc_id, chunk.title, chunk.answer_text, chunk.source,
                                                 chunk.links[0] if chunk.links else None, float(hit.score))
            if len(found) == wanted:
                break
        return list(found.values())
