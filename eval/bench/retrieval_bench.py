"""Speed and memory at scale on synthetic chunks built from the demo knowledge base's words.

    python -m eval.bench.retrieval_bench --size 100000 [--queries 300] [--rank-bm25-queries 5] [--embed-sample 2000]

`measure()` returns, for one collection size, query latency p50/p95/p99 and throughput for
query embedding, rank-bm25 (the reference library), the project's BM25, FAISS flat, FAISS HNSW
and the full hybrid retriever; a top-10 parity check of our BM25 against rank-bm25; index build
rates and the RSS growth of the index. `kefu bench retrieval` runs it for several sizes and
writes docs/benchmarks.md; this module's own CLI prints one size.

Embedding 100k passages takes minutes even on an idle box, so by default only `--embed-sample`
chunks are really embedded (that measures passages/s); the other vectors are those real
embeddings plus small noise, which keeps a realistic distribution for HNSW. `--embed-sample 0`
embeds everything. rank-bm25 scores every document in Python for each query (seconds per query
at 100k), so only `--rank-bm25-queries` of its queries are timed.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import psutil
from rank_bm25 import BM25Okapi

from retrieval.bm25 import SparseBM25, top_k
from retrieval.config import RetrievalConfig
from retrieval.dense import DenseIndex
from retrieval.documents import Chunk
from retrieval.embedders.base import Embedder, create_embedder
from retrieval.indexing import embed_passages_sorted, retriever_from_config
from retrieval.ingest.loader import load_knowledge
from retrieval.tokenize import JiebaTokenizer

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
Progress = Callable[[str], None]


def knowledge_words(tokenizer: JiebaTokenizer) -> list[str]:
    """Every distinct word of the demo knowledge base, sorted (a stable vocabulary)."""
    return sorted({w for c in load_knowledge(KNOWLEDGE).chunks for w in tokenizer.words(c.text)})


def synthetic_text(rng: random.Random, words: list[str], size: int) -> str:
    """12–30 KB words plus a product code, so terms have a realistic spread."""
    return "".join(rng.choice(words) for _ in range(rng.randint(12, 30))) + f"。商品编号{rng.randint(1, size)}。"


def synthetic_chunks(size: int, tokenizer: JiebaTokenizer, seed: int = 0) -> list[Chunk]:
    rng = random.Random(seed)
    words = knowledge_words(tokenizer)
    chunks = []
    for i in range(size):
        text = synthetic_text(rng, words, size)
        chunks.append(Chunk(f"syn-{i}", f"syn-{i}", "v", "synthetic", f"合成文档{i}", text, [text]))
    return chunks


def near_copies(vectors: np.ndarray, size: int, noise: float = 0.02, seed: int = 0) -> np.ndarray:
    """`size` unit vectors: the real ones, then noisy copies of random real ones."""
    if len(vectors) >= size:
        return vectors[:size]
    rng = np.random.default_rng(seed)
    extra = vectors[rng.integers(0, len(vectors), size - len(vectors))]
    extra = extra + rng.normal(0, noise, extra.shape).astype(np.float32)
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    return np.concatenate([vectors, extra]).astype(np.float32)


def latency_row(name: str, seconds: list[float], note: str = "") -> dict[str, Any]:
    """p50/p95/p99 in ms and single-thread throughput (queries/s) of one timed operation."""
    p50, p95, p99 = (float(v) for v in np.percentile(np.asarray(seconds) * 1000, [50, 95, 99]))
    return {"name": name, "queries": len(seconds), "p50_ms": p50, "p95_ms": p95, "p99_ms": p99,
            "qps": len(seconds) / sum(seconds) if sum(seconds) else 0.0, "note": note}


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def _timed(function: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _dense(vectors: np.ndarray, hnsw: bool, config: RetrievalConfig) -> tuple[DenseIndex, float]:
    index = DenseIndex(hnsw_threshold=0 if hnsw else len(vectors) + 1, hnsw_m=config.dense.hnsw_m,
                       ef_search=config.dense.ef_search)
    return index, _timed(lambda: index.index(vectors))[1]


def measure(size: int, queries: int = 300, rank_bm25_queries: int = 5, embed_sample: int = 2000,
            embedder: Embedder | None = None, progress: Progress = lambda _: None) -> dict[str, Any]:
    """All figures for one collection size (see the module docstring)."""
    config = RetrievalConfig(embedder={"type": "e5-onnx-int8", "intra_op_threads": 1})
    embedder = embedder or create_embedder(config.embedder)
    embedder.warm_up()
    retriever = retriever_from_config(config, embedder)
    retriever.warm_up()
    memory_start = rss_mb()
    progress(f"{size:,} chunks: generating and tokenising")
    chunks = synthetic_chunks(size, retriever.tokenizer)
    texts = [c.text for c in chunks]
    corpus, tokenise_s = _timed(lambda: [retriever.tokenizer(t) for t in texts])
    bm25 = SparseBM25()
    bm25_index_s = _timed(lambda: bm25.index(corpus))[1]
    sample = min(embed_sample or size, size)
    progress(f"{size:,} chunks: embedding {sample:,} passages")
    real, embed_sample_s = _timed(lambda: embed_passages_sorted(embedder, texts[:sample]))  # as `kefu index` does
    vectors = near_copies(real, size)
    progress(f"{size:,} chunks: building FAISS flat and HNSW, the hybrid index")
    flat, flat_s = _dense(vectors, hnsw=False, config=config)
    hnsw, hnsw_s = _dense(vectors, hnsw=True, config=config)
    retriever.index(chunks, vectors, bm25)
    memory_index = rss_mb() - memory_start

    rng = random.Random(1)
    query_texts = [texts[rng.randrange(size)][rng.randint(0, 8):][:rng.randint(6, 14)] for _ in range(queries)]
    tokens = [retriever.tokenizer(q) for q in query_texts]
    progress(f"{size:,} chunks: timing {queries} queries per method")
    timings: dict[str, list[float]] = {k: [] for k in ("embed", "bm25", "flat", "hnsw", "hybrid")}
    for query, query_tokens in zip(query_texts, tokens):
        vector, seconds = _timed(lambda: embedder.embed_queries([query])[0])
        timings["embed"].append(seconds)
        timings["bm25"].append(_timed(lambda: bm25.top_k(query_tokens, 10))[1])
        timings["flat"].append(_timed(lambda: flat.search(vector, 10))[1])
        timings["hnsw"].append(_timed(lambda: hnsw.search(vector, 10))[1])
        timings["hybrid"].append(_timed(lambda: retriever.run(query))[1])

    bounded = min(rank_bm25_queries, queries)
    progress(f"{size:,} chunks: rank-bm25 on {bounded} queries (it scores every document in Python)")
    reference, reference_build_s = _timed(lambda: BM25Okapi(corpus))
    reference_s, identical = [], 0
    for query_tokens in tokens[:bounded]:
        scores, seconds = _timed(lambda: reference.get_scores(query_tokens))
        reference_s.append(seconds)
        expected = np.lexsort((np.arange(size), -scores))[:10]
        identical += int(np.array_equal(top_k(bm25.scores(query_tokens), 10)[0], expected))
    rank_note = f"only {bounded} of {queries} queries timed" if bounded < queries else ""
    rows = [
        latency_row("query embedding (e5-small int8)", timings["embed"]),
        latency_row("rank-bm25 BM25Okapi.get_scores", reference_s, rank_note),
        latency_row("project BM25 (sparse) top-10", timings["bm25"]),
        latency_row("FAISS flat top-10", timings["flat"]),
        latency_row(f"FAISS HNSW top-10 (M={config.dense.hnsw_m}, ef={config.dense.ef_search})", timings["hnsw"]),
        latency_row(f"hybrid total (embed + 4 signals + fusion, {retriever.dense.kind})", timings["hybrid"]),
    ]
    embed_s = embed_sample_s * size / sample
    return {
        "size": size, "queries": queries, "rows": rows,
        "parity": {"identical_top10": identical, "checked": bounded},
        "build_chunks_per_s": {
            "tokenise (jieba)": size / tokenise_s, "project BM25 matrix": size / bm25_index_s,
            "rank-bm25 index": size / reference_build_s, f"embedding (measured on {sample:,})": sample / embed_sample_s,
            "FAISS flat add": size / flat_s, "FAISS HNSW build": size / hnsw_s,
            "end to end (tokenise+BM25+embed+HNSW)": size / (tokenise_s + bm25_index_s + embed_s + hnsw_s)},
        "memory_mb": {"index RSS delta": memory_index, "vectors": vectors.nbytes / 2**20,
                      "BM25 matrix": sum(a.nbytes for a in bm25.state().values() if hasattr(a, "nbytes")) / 2**20},
    }


def print_result(result: dict[str, Any]) -> None:
    print(f"\n{result['size']:,} chunks — latency (ms)            p50      p95      p99      q/s")
    for row in result["rows"]:
        print(f"  {row['name']:<52}{row['p50_ms']:8.2f} {row['p95_ms']:8.2f} {row['p99_ms']:8.2f} "
              f"{row['qps']:8.1f}  {row['note']}")
    parity = result["parity"]
    print(f"  BM25 parity with rank-bm25: identical top-10 on {parity['identical_top10']}/{parity['checked']} queries")
    print("  build rate (chunks/s): " + ", ".join(f"{k} {v:,.0f}" for k, v in result["build_chunks_per_s"].items()))
    print("  memory (MB): " + ", ".join(f"{k} {v:,.0f}" for k, v in result["memory_mb"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rank-bm25-queries", type=int, default=5)
    parser.add_argument("--embed-sample", type=int, default=2000)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    result = measure(args.size, args.queries, args.rank_bm25_queries, args.embed_sample,
                     progress=lambda message: print(f"[bench] {message}", file=sys.stderr, flush=True))
    print_result(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
