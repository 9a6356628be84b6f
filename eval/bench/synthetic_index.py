"""A knowledge base of `size` chunks for the load run: the demo knowledge base plus synthetic FAQ
items made of its words, indexed with retrieval's own `build_index` and cached under var/bench/.

The action server re-checks its index against the knowledge folder when it starts (only changed
documents are embedded), so the synthetic items are real files in a knowledge folder of their own,
and the index next to it matches them. Embedding 100k+ passages takes far too long on this box,
so, as in eval/bench/retrieval_bench.py, `--embed-sample` synthetic passages are really embedded and every
other synthetic passage gets a noisy copy of one of those; the real documents are embedded for
real. The manifest records the real embedder, so the action server accepts the index.
"""
from __future__ import annotations

import dataclasses
import json
import random
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from eval.bench.retrieval_bench import knowledge_words, synthetic_text
from retrieval.config import RetrievalConfig
from retrieval.embedders.base import Embedder, create_embedder, l2_normalize
from retrieval.indexing import build_index, retriever_from_config
from retrieval.ingest.loader import load_knowledge
from retrieval.tokenize import JiebaTokenizer

SYNTHETIC_FILE = "synthetic/synthetic_faq.jsonl"
MARKER = "bench-ready.json"


class SampledEmbedder:
    """The real embedder for real texts; for synthetic texts, noisy copies of a real sample."""

    def __init__(self, real: Embedder, synthetic: set[str], sample: list[str], noise: float = 0.02) -> None:
        self.real, self.synthetic, self.sample, self.noise = real, synthetic, sample, noise
        self.name, self.dim = real.name, real.dim
        self._pool: np.ndarray | None = None

    @property
    def pool(self) -> np.ndarray:
        """The really embedded sample, embedded on first use (an up-to-date index never needs it)."""
        if self._pool is None:
            self._pool = self.real.embed_passages(self.sample)
        return self._pool

    def warm_up(self) -> None:
        self.real.warm_up()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.real.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        real = [i for i, text in enumerate(texts) if text not in self.synthetic]
        if real:
            rows[real] = self.real.embed_passages([texts[i] for i in real])
        for i, text in enumerate(texts):
            if text in self.synthetic:
                key = zlib.crc32(text.encode("utf-8"))
                rng = np.random.default_rng(key)
                rows[i] = self.pool[key % len(self.pool)] + rng.normal(0, self.noise, self.dim)
        return l2_normalize(rows)

    def to_dict(self) -> dict[str, Any]:
        return self.real.to_dict()


def _items(count: int, tokenizer: JiebaTokenizer) -> list[dict[str, str]]:
    rng, words = random.Random(0), knowledge_words(tokenizer)
    return [{"id": f"syn-{i}", "question": synthetic_text(rng, words, count),
             "answer": synthetic_text(rng, words, count), "category": "合成"} for i in range(count)]


def ensure_synthetic_index(size: int, cache_root: Path, knowledge: Path, settings: RetrievalConfig | dict[str, Any],
                           embed_sample: int = 2000, say: Callable[[str], None] = lambda _: None) -> tuple[Path, Path]:
    """(knowledge folder, index folder) holding about `size` chunks, built once per size.

    `settings` is the `retrieval:` section of kefu.yml (typed, or as a mapping). The index is checked with retrieval's own
    source fingerprint, exactly as the action server will check it, so the server never rebuilds.
    """
    folder = (cache_root / f"index-{size}").resolve()
    knowledge_dir, index_dir = folder / "knowledge", folder / "index"
    base = settings if isinstance(settings, RetrievalConfig) else RetrievalConfig.from_dict(settings)
    config = dataclasses.replace(base, knowledge_dir=str(knowledge_dir), index_dir=str(index_dir))
    real = create_embedder(config.embedder)
    marker = folder / MARKER
    if not marker.exists() or json.loads(marker.read_text(encoding="utf-8")) != {"size": size}:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(knowledge, knowledge_dir / "demo")
        real_chunks = len(load_knowledge(knowledge_dir).chunks)
        tokenizer = retriever_from_config(config, real).tokenizer
        tokenizer.warm_up()
        items = _items(max(0, size - real_chunks), tokenizer)
        path = knowledge_dir / SYNTHETIC_FILE
        path.parent.mkdir(parents=True)
        path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
        marker.write_text(json.dumps({"size": size}), encoding="utf-8")
    items = [json.loads(line) for line in (knowledge_dir / SYNTHETIC_FILE).read_text(encoding="utf-8").splitlines()]
    synthetic = {text for item in items for text in (item["question"], f"{item['question']} {item['answer']}")}
    sample = [f"{item['question']} {item['answer']}" for item in items[:embed_sample]] or ["占位"]
    say(f"checking the {size:,}-chunk benchmark index in {folder} (a first build takes many minutes at 100k; "
        f"then {len(sample):,} synthetic passages are really embedded, the rest get noisy copies)")
    report = build_index(knowledge_dir, index_dir, config, embedder=SampledEmbedder(real, synthetic, sample),
                         show_progress=True)
    say(f"index {'up to date' if report.up_to_date else 'built'}: {report.chunks:,} chunks, {report.views:,} views, "
        f"{report.dense_kind}, {report.seconds:.0f} s")
    return knowledge_dir, index_dir
