"""The facade the Rasa action calls: question in, grounded and cited answer (or an honest
"no answer") out. It never raises: failures become a safe fallback with `abstained=True`.

It only reads the index: `kefu index` (`retrieval.indexing.build_index`) writes it, and a service
without one answers every question with the configured error text until the index exists."""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rasa_plugins.text.normalize import normalize_text
from retrieval.abstain import AbstainDecision, AbstainPolicy
from retrieval.answer_type import missing_answer_type
from retrieval.config import AnswerTexts, RetrievalConfig
from retrieval.documents import Hit
from retrieval.embedders.base import Embedder
from retrieval.gates import AnswerGates, GateReport
from retrieval.generators.base import Generator, create_generator
from retrieval.hybrid import HybridRetriever
from retrieval.indexing import load_index
from retrieval.rewrite import is_follow_up, prefer_new_focus, rewrite_follow_up

log = logging.getLogger(__name__)

# the library's neutral texts; a bot's own wording is `retrieval: texts:` in its configuration
NO_ANSWER_TEXT = AnswerTexts.no_answer
SAFE_TEXT = AnswerTexts.safe
ERROR_TEXT = AnswerTexts.error


@dataclass
class Citation:
    chunk_id: str
    doc_id: str
    title: str
    source: str
    link: str | None


@dataclass
class KnowledgeAnswer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    reason: str = ""
    query: str = ""
    passages: list[dict[str, Any]] = field(default_factory=list)
    gates: dict[str, Any] | None = None
    offer_human: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _citation(hit: Hit) -> Citation:
    chunk = hit.chunk
    return Citation(chunk.chunk_id, chunk.doc_id, chunk.title, chunk.source, chunk.links[0] if chunk.links else None)


class KnowledgeService:
    def __init__(self, config: RetrievalConfig, embedder: Embedder | None = None) -> None:
        self.config = config
        self._embedder = embedder
        self.texts = config.texts
        self.gates = AnswerGates(**asdict(config.gates))
        self.policy = AbstainPolicy(**asdict(config.abstain))
        self.retriever: HybridRetriever | None = None
        self.generator: Generator | None = None
        self._lock = threading.Lock()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="kefu-retrieval")

    def warm_up(self) -> None:
        if self.retriever is None:
            self.reload()

    def reload(self) -> None:
        """Load the index `kefu index` wrote and swap it in; serving continues meanwhile.

        Raises FileNotFoundError when there is no index: serving never builds one."""
        retriever = load_index(self.config.index_dir, self.config, self._embedder)
        generator = create_generator(self.config.generator)
        generator.warm_up()
        with self._lock:
            self.retriever, self.generator = retriever, generator

    def answer(self, question: str, history: list[str] | None = None,
               context_docs: list[str] | None = None, generic_terms: list[str] | None = None) -> KnowledgeAnswer:
        """`context_docs`: the items the conversation's last answer cited (see AbstainPolicy.continues_topic).
        `generic_terms`: names that stand for a kind of thing the rules cover without naming it (a
        shop's product names: "羊毛衫" in "买两件羊毛衫包不包邮"); the term-coverage check ignores them."""
        try:
            future = self._pool.submit(self._answer, question, history, context_docs, generic_terms)
            return future.result(timeout=self.config.timeout_seconds)
        except Exception as error:  # noqa: BLE001 - the bot must always get an answer
            return self._failed(question, error)

    async def answer_async(self, question: str, history: list[str] | None = None,
                           context_docs: list[str] | None = None,
                           generic_terms: list[str] | None = None) -> KnowledgeAnswer:
        """`answer` for an async caller such as the action server: the work runs on the service's
        threads (ONNX Runtime and numpy release the GIL) while the event loop goes on serving other
        requests, e.g. a form's validation, instead of waiting up to `timeout_seconds` for this one."""
        try:
            future = self._pool.submit(self._answer, question, history, context_docs, generic_terms)
            return await asyncio.wait_for(asyncio.wrap_future(future), self.config.timeout_seconds)
        except Exception as error:  # noqa: BLE001 - the bot must always get an answer
            return self._failed(question, error)

    def _failed(self, question: str, error: BaseException) -> KnowledgeAnswer:
        log.exception("knowledge answer failed: %r", error)
        return KnowledgeAnswer(self.texts.error, abstained=True, reason="retriever_error", query=question,
                               offer_human=True)

    def _answer(self, question: str, history: list[str] | None,
                context_docs: list[str] | None = None, generic_terms: list[str] | None = None) -> KnowledgeAnswer:
        self.warm_up()
        with self._lock:
            retriever, generator = self.retriever, self.generator
        assert retriever is not None and generator is not None
        # one spelling: traditional characters and full-width letters/digits (rasa_plugins/text)
        question, history = normalize_text(question), [normalize_text(turn) for turn in history or []]
        if self.gates.sensitive_in(question):
            return KnowledgeAnswer(self.texts.safe, abstained=True, reason="sensitive_topic", query=question,
                                   offer_human=True)
        query = rewrite_follow_up(question, history, retriever.tokenizer)
        hits = retriever.run(query)["hits"]
        if query != question:
            hits = prefer_new_focus(hits, retriever.tokenizer.words(question), context_docs)
        passages = [hit.to_dict() for hit in hits]
        words = [word for word in retriever.tokenizer.words(query)
                 if not any(word in term for term in generic_terms or ())]
        decision = self.policy.decide(hits, words)
        if decision.abstain and is_follow_up(question) and self.policy.continues_topic(hits, context_docs):
            decision = AbstainDecision(False, "")
        if decision.abstain:
            return KnowledgeAnswer(self.texts.no_answer, abstained=True, reason=decision.reason, query=query,
                                   passages=passages, offer_human=True)
        report: GateReport | None = None
        for strict in (False, True):
            generation = generator.run(query, hits, strict=strict)
            used = [hit for hit in hits if hit.chunk.chunk_id in generation.used_chunk_ids]
            report = self.gates.check(generation.text, [hit.chunk.answer_text for hit in used])
            lacking = missing_answer_type(question, generation.text) if self.policy.match_answer_type else ""
            if report.passed and lacking:
                return KnowledgeAnswer(self.texts.no_answer, abstained=True, reason=f"answer_lacks_{lacking}", query=query,
                                       passages=passages, gates=report.to_dict(), offer_human=True)
            if report.passed:
                return KnowledgeAnswer(generation.text, [_citation(hit) for hit in used], query=query,
                                       passages=passages, gates=report.to_dict())
        return KnowledgeAnswer(self.texts.safe, abstained=True, reason="quality_gate_failed", query=query,
                               passages=passages, gates=report.to_dict() if report else None, offer_human=True)

    @classmethod
    def from_yaml(cls, path: str | Path, root: str | Path | None = None) -> "KnowledgeService":
        config = RetrievalConfig.from_yaml(path)
        return cls(config.resolve(root or Path(path).parent))
