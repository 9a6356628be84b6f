"""Quality gates an answer must pass before it reaches a customer.

The support check is lexical on purpose: every answer sentence must share most of its
character bigrams with the passages it cites, so a fact that is not in the knowledge base
(a new number, date or promise) fails it.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from retrieval.ingest.chunking import split_sentences

TEMPLATE_PHRASES: tuple[str, ...] = ("您好，", "您好", "根据我们的服务说明，", "请问还有其他可以帮您的吗？")
_NOT_CONTENT = re.compile(r"[^\w\u4e00-\u9fff]+", re.UNICODE)


def char_bigrams(text: str) -> set[str]:
    plain = _NOT_CONTENT.sub("", text.lower())
    if len(plain) == 1:
        return {plain}
    return {plain[i:i + 2] for i in range(len(plain) - 1)}


def strip_templates(text: str) -> str:
    for phrase in TEMPLATE_PHRASES:
        text = text.replace(phrase, "")
    return text


def sentence_support(sentence: str, passages: list[str]) -> float:
    """Share of the sentence's character bigrams found in the passages (1.0 = fully quoted)."""
    grams = char_bigrams(sentence)
    if not grams:
        return 1.0
    source = set().union(*(char_bigrams(p) for p in passages)) if passages else set()
    return len(grams & source) / len(grams)


@dataclass
class GateReport:
    passed: bool
    banned: list[str] = field(default_factory=list)
    sensitive: list[str] = field(default_factory=list)
    hedging: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    support: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AnswerGates:
    banned_words: list[str] = field(default_factory=list)
    sensitive_topics: list[str] = field(default_factory=list)
    hedging_words: list[str] = field(default_factory=lambda: ["可能", "也许", "大概"])
    min_support: float = 0.6

    def sensitive_in(self, text: str) -> list[str]:
        return [topic for topic in self.sensitive_topics if topic and topic in text]

    def check(self, answer: str, passages: list[str]) -> GateReport:
        """Run every gate; hedging words that the passages themselves use are not hedging."""
        banned = [word for word in self.banned_words if word and word in answer]
        sensitive = self.sensitive_in(answer)
        source = "".join(passages)
        hedging = [word for word in self.hedging_words if word in answer and word not in source]
        sentences = [s for s in split_sentences(strip_templates(answer)) if char_bigrams(s)]
        support = [round(sentence_support(s, passages), 4) for s in sentences]
        unsupported = [s for s, score in zip(sentences, support) if score < self.min_support]
        passed = not (banned or sensitive or hedging or unsupported) and bool(sentences)
        return GateReport(passed, banned, sensitive, hedging, unsupported, support)
