"""One validated configuration for the retrieval stack, read from the `retrieval:` YAML section.

Validation happens at load time and every error says which key to change and to what.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from retrieval.fusion import DEFAULT_WEIGHTS, FUSION_METHODS, SIGNALS, validate_weights

GENERATORS = ("extractive", "openai")


class ConfigError(ValueError):
    """A configuration value that cannot work; the message names the key."""


@dataclass
class RetrievalConfig:
    knowledge_dir: str = "knowledge"
    index_dir: str = "var/index"
    embedder: dict[str, Any] = field(default_factory=lambda: {"type": "e5-onnx-int8"})
    # chunking
    max_chunk_chars: int = 300
    overlap_sentences: int = 1
    # BM25
    user_dicts: list[str] = field(default_factory=list)
    stopwords_path: str | None = None
    char_ngrams: list[int] = field(default_factory=lambda: [2])
    ngram_scope: str = "text"  # chosen on CIC dev: BM25 R@1 0.533 vs 0.435 for "word"
    bm25_k1: float = 1.5
    bm25_b: float = 0.75
    # dense
    hnsw_threshold: int = 20000
    hnsw_m: int = 32
    hnsw_ef_search: int = 64
    # fusion (defaults from `python -m eval.calibrate_retrieval`)
    fusion: str = "linear"
    fusion_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    rrf_k: float = 60.0
    candidate_views: int = 100
    top_k: int = 3
    # abstention (from `python -m eval.calibrate_retrieval abstain` on eval/data/abstain_dev.jsonl;
    # the checks are described in retrieval/abstain.py)
    min_dense_score: float = 0.89
    require_lexical_match: bool = True
    lexical_bypass_dense_score: float = 0.90
    min_term_coverage: float = 0.35
    coverage_bypass_dense_score: float = 0.91
    # generation and gates
    generator: dict[str, Any] = field(default_factory=lambda: {"type": "extractive"})
    banned_words: list[str] = field(default_factory=list)
    sensitive_topics: list[str] = field(default_factory=list)
    hedging_words: list[str] = field(default_factory=lambda: ["可能", "也许", "大概", "或许", "应该是"])
    min_support: float = 0.6
    timeout_seconds: float = 5.0

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        if self.fusion not in FUSION_METHODS:
            raise ConfigError(f"retrieval.fusion is {self.fusion!r}; use one of {', '.join(FUSION_METHODS)}")
        try:
            validate_weights(self.fusion_weights)
        except (ValueError, TypeError, AttributeError) as error:
            raise ConfigError(f"retrieval.fusion_weights: {error} (signals: {', '.join(SIGNALS)})") from None
        if not isinstance(self.embedder, dict) or "type" not in self.embedder:
            raise ConfigError("retrieval.embedder must be a mapping with a 'type', e.g. {type: e5-onnx-int8}")
        kind = self.generator.get("type") if isinstance(self.generator, dict) else None
        if kind not in GENERATORS:
            raise ConfigError(f"retrieval.generator.type is {kind!r}; use one of {', '.join(GENERATORS)}")
        for name in ("max_chunk_chars", "top_k", "candidate_views", "hnsw_threshold", "hnsw_m", "hnsw_ef_search"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"retrieval.{name} must be a positive integer, got {getattr(self, name)!r}")
        if self.ngram_scope not in ("word", "text"):
            raise ConfigError(f"retrieval.ngram_scope is {self.ngram_scope!r}; use 'word' or 'text'")
        for name in ("min_dense_score", "lexical_bypass_dense_score", "coverage_bypass_dense_score"):
            if not -1 <= float(getattr(self, name)) <= 1:
                raise ConfigError(f"retrieval.{name} is a cosine similarity within -1..1, got {getattr(self, name)!r}")
        if not 0 <= self.min_term_coverage <= 1:
            raise ConfigError(f"retrieval.min_term_coverage must be within 0..1 (0 turns the check off), "
                              f"got {self.min_term_coverage}")
        if not 0 <= self.min_support <= 1:
            raise ConfigError(f"retrieval.min_support must be within 0..1, got {self.min_support}")
        if self.timeout_seconds <= 0:
            raise ConfigError("retrieval.timeout_seconds must be > 0")

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "RetrievalConfig":
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown key(s) in retrieval config: {', '.join(unknown)}; "
                              f"known keys: {', '.join(sorted(known))}")
        try:
            return cls(**data)
        except TypeError as error:
            raise ConfigError(f"retrieval config: {error}") from None

    @classmethod
    def from_yaml(cls, path: str | Path, section: str = "retrieval") -> "RetrievalConfig":
        """Read `section` of a YAML file (the whole file if the section is absent)."""
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(document, dict):
            raise ConfigError(f"{path}: expected a mapping at the top level")
        return cls.from_dict(document.get(section, document))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def resolve(self, root: str | Path) -> "RetrievalConfig":
        """Copy with relative folders made absolute against the project root."""
        data = self.to_dict()
        for key in ("knowledge_dir", "index_dir"):
            if not Path(data[key]).is_absolute():
                data[key] = str(Path(root) / data[key])
        return RetrievalConfig.from_dict(data)
