"""One validated configuration for the retrieval stack, read from the `retrieval:` YAML section.

Settings nest by component and each section's keys are that component's init parameters
(`bm25: {k1, b}` -> `SparseBM25(k1=..., b=...)`). Embedder, retriever and generator are specs
`{type, **params}` whose types come from `retrieval.registry`. Loading goes through the typed
builder shared with `kefu.yml` (`retrieval.settings_builder`): unknown keys, wrong types and keys
of the old flat layout are errors that name the key to write.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import yaml

from retrieval.fusion import FUSION_METHODS, SIGNALS, validate_weights
from retrieval.registry import check_spec
from retrieval.settings_builder import ConfigError, build

__all__ = ["ConfigError", "RetrievalConfig", "RETRIEVER_SECTIONS"]

RETRIEVER_SECTIONS = ("embedder", "tokenizer", "bm25", "dense")
"""Retriever init parameters that have their own config section rather than a key in `retriever:`."""


def _positive(section: object, *names: str) -> None:
    for name in names:
        if getattr(section, name) < 1:
            raise ConfigError(f"{name}: must be a positive integer, got {getattr(section, name)!r}")


@dataclass
class ChunkingSettings:
    """`retrieval.ingest.loader.load_knowledge(max_chars, overlap)`."""

    max_chars: int = 300
    overlap: int = 1  # sentences repeated from the previous chunk

    def __post_init__(self) -> None:
        _positive(self, "max_chars")


@dataclass
class TokenizerSettings:
    """`retrieval.tokenize.JiebaTokenizer` (BM25's tokens)."""

    user_dicts: list[str] = field(default_factory=list)
    stopwords_path: str | None = None
    char_ngrams: list[int] = field(default_factory=lambda: [2])
    ngram_scope: str = "text"  # chosen on CIC dev: BM25 R@1 0.533 vs 0.435 for "word"
    lowercase: bool = True

    def __post_init__(self) -> None:
        if self.ngram_scope not in ("word", "text"):
            raise ConfigError(f"ngram_scope: {self.ngram_scope!r} is not allowed; use 'word' or 'text'")


@dataclass
class BM25Settings:
    """`retrieval.bm25.SparseBM25`."""

    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


@dataclass
class DenseSettings:
    """`retrieval.dense.DenseIndex`: exact search below `hnsw_threshold` vectors, HNSW above."""

    hnsw_threshold: int = 20000
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 64
    search_threads: int = 1

    def __post_init__(self) -> None:
        _positive(self, "hnsw_threshold", "hnsw_m", "ef_construction", "ef_search", "search_threads")


@dataclass
class AbstainSettings:
    """`retrieval.abstain.AbstainPolicy`; from `python -m eval.calibrate_retrieval abstain` on
    eval/data/abstain_dev.jsonl (the checks are described in retrieval/abstain.py)."""

    min_dense_score: float = 0.89
    require_lexical_match: bool = True
    lexical_bypass_dense_score: float = 0.90
    min_term_coverage: float = 0.35
    coverage_bypass_dense_score: float = 0.91
    follow_up_margin: float = 0.02
    match_answer_type: bool = True  # a "how much" question needs an answer that names an amount

    def __post_init__(self) -> None:
        if not isinstance(self.match_answer_type, bool):
            raise ConfigError(f"match_answer_type: true or false, got {self.match_answer_type!r}")
        if not 0 <= self.follow_up_margin <= 0.2:
            raise ConfigError(f"follow_up_margin: a cosine margin within 0..0.2 (0 turns it off), "
                              f"got {self.follow_up_margin!r}")
        for name in ("min_dense_score", "lexical_bypass_dense_score", "coverage_bypass_dense_score"):
            if not -1 <= getattr(self, name) <= 1:
                raise ConfigError(f"{name}: a cosine similarity within -1..1, got {getattr(self, name)!r}")
        if not 0 <= self.min_term_coverage <= 1:
            raise ConfigError(f"min_term_coverage: must be within 0..1 (0 turns the check off), "
                              f"got {self.min_term_coverage}")


@dataclass
class GateSettings:
    """`retrieval.gates.AnswerGates`: what an answer must pass before it reaches a customer."""

    banned_words: list[str] = field(default_factory=list)
    sensitive_topics: list[str] = field(default_factory=list)
    hedging_words: list[str] = field(default_factory=lambda: ["可能", "也许", "大概", "或许", "应该是"])
    min_support: float = 0.6

    def __post_init__(self) -> None:
        if not 0 <= self.min_support <= 1:
            raise ConfigError(f"min_support: must be within 0..1, got {self.min_support}")


@dataclass
class AnswerTexts:
    """What the service says when it does not answer. Neutral here; a bot's persona (its name, its
    shop) belongs in its own configuration (the demo's is in kefu.yml)."""

    no_answer: str = "抱歉，知识库里暂时没有找到这个问题的准确答案，我不想给您不确定的信息。需要为您转接人工客服吗？"
    safe: str = "抱歉，这个问题我暂时无法给出准确答复。需要为您转接人工客服吗？"
    error: str = "抱歉，系统暂时繁忙，没能查到答案。需要为您转接人工客服吗？"


def _moved(section: str, key: str) -> str:
    return f"retrieval: {section}: {{{key}: ...}}"


@dataclass
class RetrievalConfig:
    knowledge_dir: str = "knowledge"
    index_dir: str = "var/index"
    embedder: dict[str, Any] = field(default_factory=lambda: {"type": "e5-onnx-int8"})
    chunking: ChunkingSettings = field(default_factory=ChunkingSettings)
    tokenizer: TokenizerSettings = field(default_factory=TokenizerSettings)
    bm25: BM25Settings = field(default_factory=BM25Settings)
    dense: DenseSettings = field(default_factory=DenseSettings)
    retriever: dict[str, Any] = field(default_factory=lambda: {"type": "hybrid"})
    """Its other parameters (fusion, weights, top_k, ...) default to the calibrated values in
    `retrieval.hybrid`; embedder, tokenizer, bm25 and dense come from their own sections."""
    abstain: AbstainSettings = field(default_factory=AbstainSettings)
    gates: GateSettings = field(default_factory=GateSettings)
    generator: dict[str, Any] = field(default_factory=lambda: {"type": "extractive"})
    texts: AnswerTexts = field(default_factory=AnswerTexts)
    timeout_seconds: float = 5.0

    MOVED_KEYS: ClassVar[dict[str, str]] = {
        "max_chunk_chars": _moved("chunking", "max_chars"), "overlap_sentences": _moved("chunking", "overlap"),
        **{key: _moved("tokenizer", key) for key in ("user_dicts", "stopwords_path", "char_ngrams", "ngram_scope")},
        "bm25_k1": _moved("bm25", "k1"), "bm25_b": _moved("bm25", "b"),
        "hnsw_threshold": _moved("dense", "hnsw_threshold"), "hnsw_m": _moved("dense", "hnsw_m"),
        "hnsw_ef_search": _moved("dense", "ef_search"),
        "fusion": _moved("retriever", "fusion"), "fusion_weights": _moved("retriever", "weights"),
        **{key: _moved("retriever", key) for key in ("rrf_k", "candidate_views", "top_k")},
        **{key: _moved("abstain", key) for key in ("min_dense_score", "require_lexical_match",
                                                   "lexical_bypass_dense_score", "min_term_coverage",
                                                   "coverage_bypass_dense_score")},
        **{key: _moved("gates", key) for key in ("banned_words", "sensitive_topics", "hedging_words", "min_support")},
    }

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        check_spec("embedder", self.embedder)
        check_spec("generator", self.generator)
        check_spec("retriever", self.retriever, reserved=RETRIEVER_SECTIONS)
        fusion = self.retriever.get("fusion", "linear")
        if fusion not in FUSION_METHODS:
            raise ConfigError(f"retriever > fusion: {fusion!r} is not allowed; use one of {', '.join(FUSION_METHODS)}")
        if "weights" in self.retriever:
            try:
                validate_weights(self.retriever["weights"])
            except (ValueError, TypeError, AttributeError) as error:
                raise ConfigError(f"retriever > weights: {error} (signals: {', '.join(SIGNALS)})") from None
        for name in ("candidate_views", "top_k"):
            value = self.retriever.get(name, 1)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"retriever > {name}: must be a positive integer, got {value!r}")
        if self.timeout_seconds <= 0:
            raise ConfigError("timeout_seconds: must be > 0")

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, where: str = "retrieval") -> "RetrievalConfig":
        return build(cls, data or {}, where)

    @classmethod
    def from_yaml(cls, path: str | Path, section: str = "retrieval") -> "RetrievalConfig":
        """Read `section` of a YAML file (the whole file if the section is absent)."""
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(document, dict):
            raise ConfigError(f"{path}: expected a mapping at the top level")
        return cls.from_dict(document.get(section, document), f"{Path(path).name} > {section}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def section(self) -> dict[str, Any]:
        """`to_dict()` without the two folders: what a `retrieval:` section of kefu.yml may hold."""
        return {key: value for key, value in self.to_dict().items() if key not in ("knowledge_dir", "index_dir")}

    def resolve(self, root: str | Path) -> "RetrievalConfig":
        """Copy with relative folders made absolute against the project root."""
        folders = {key: getattr(self, key) if Path(getattr(self, key)).is_absolute()
                   else str(Path(root) / getattr(self, key)) for key in ("knowledge_dir", "index_dir")}
        return replace(self, **folders)
