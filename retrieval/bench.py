"""Speed and memory at scale on synthetic chunks built from the demo knowledge base's words.

    python -m retrieval.bench --size 100000 [--queries 300] [--rank-bm25-queries 5] [--embed-sample 2000]

Prints query latency p50/p95/p99 (query embedding, BM25, dense, full hybrid) side by side,
BM25 throughput against rank-bm25 with a top-10 parity check, index build rates and memory.
Embedding 100k passages takes minutes even on an idle box, so by default only `--embed-sample`
chunks are really embedded (that measures passages/s); the other vectors are those real
embeddings plus small noise, which keeps a realistic distribution for HNSW. `--embed-sample 0`
embeds everything.
"""
from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

import numpy as np
import psutil
from rank_bm25 import BM25Okapi

from retrieval.bm25 import SparseBM25, top_k
from retrieval.config import RetrievalConfig
from retrieval.documents import Chunk
from retrieval.embedders.base import create_embedder
from retrieval.indexing import retriever_from_config
from retrieval.ingest.loader import load_knowledge
from retrieval.tokenize import JiebaTokenizer

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"


def synthetic_chunks(size: int, tokenizer: JiebaTokenizer, seed: int = 0) -> list[Chunk]:
    """Chunks of 12–30 KB words plus a product code, so terms have a realistic spread."""
    rng = random.Random(seed)
    words = sorted({w for c in load_knowledge(KNOWLEDGE).chunks for w in tokenizer.words(c.text)})
    chunks = []
    for i in range(size):
        text = "".join(rng.choice(words) for _ in range(rng.randint(12, 30))) + f"。商品编号{rng.randint(1, size)}。"
        chunks.append(Chunk(f"syn-{i}", f"syn-{i}", "v", "synthetic", f"合成文档{i}", text, [text]))
    return chunks


def near_copies(vectors: np.ndarray, size: int, noise: float = 0.02) -> np.ndarray:
    """`size` unit vectors: the real ones, then noisy copies of random real ones."""
    if len(vectors) >= size:
        return vectors
    rng = np.random.default_rng(0)
    extra = vectors[rng.integers(0, len(vectors), size - len(vectors))]
    extra = extra + rng.normal(0, noise, extra.shape).astype(np.float32)
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    return np.concatenate([vectors, extra]).astype(np.float32)


def percentiles(samples: list[float]) -> str:
    p50, p95, p99 = np.percentile(np.asarray(samples) * 1000, [50, 95, 99])
    return f"{p50:8.2f} {p95:8.2f} {p99:8.2f}"


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rank-bm25-queries", type=int, default=5)
    parser.add_argument("--embed-sample", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1, help="ONNX intra-op threads (1 is fastest per query)")
    args = parser.parse_args()
    config = RetrievalConfig(embedder={"type": "e5-onnx-int8", "intra_op_threads": args.threads})
    embedder = create_embedder(config.embedder)
    embedder.warm_up()
    retriever = retriever_from_config(config, embedder)
    retriever.warm_up()
    memory_start = rss_mb()
    chunks = synthetic_chunks(args.size, retriever.tokenizer)
    texts = [c.text for c in chunks]

    started = time.perf_counter()
    corpus = [retriever.tokenizer(t) for t in texts]
    tokenise_s = time.perf_counter() - started
    started = time.perf_counter()
    bm25 = SparseBM25()
    bm25.index(corpus)
    bm25_index_s = time.perf_counter() - started
    sample = args.embed_sample or args.size
    started = time.perf_counter()
    vectors = embedder.embed_passages(texts[:sample])
    embed_s = (time.perf_counter() - started) * args.size / sample
    vectors = near_copies(vectors, args.size)
    started = time.perf_counter()
    retriever.index(chunks, vectors, bm25)
    dense_index_s = time.perf_counter() - started
    memory_index = rss_mb() - memory_start
    print(f"load average at start: {', '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"index build, {args.size} chunks: tokenise {args.size / tokenise_s:,.0f} chunks/s, "
          f"BM25 matrix {args.size / bm25_index_s:,.0f} chunks/s, embed ({embedder.name}, measured on {sample}) "
          f"{args.size / embed_s:,.0f} chunks/s, FAISS {retriever.dense.kind} {args.size / dense_index_s:,.0f} chunks/s; "
          f"end to end {args.size / (tokenise_s + bm25_index_s + embed_s + dense_index_s):,.0f} chunks/s")
    print(f"memory: +{memory_index:,.0f} MB RSS for the index (vectors {vectors.nbytes / 2**20:,.0f} MB, "
          f"BM25 matrix {sum(a.nbytes for a in bm25.state().values() if hasattr(a, 'nbytes')) / 2**20:,.0f} MB)")

    rng = random.Random(1)
    queries = [texts[rng.randrange(args.size)][rng.randint(0, 8):][:rng.randint(6, 14)] for _ in range(args.queries)]
    timings: dict[str, list[float]] = {"query embedding": [], "BM25 (sparse) top-10": [], "dense search": [],
                                       "hybrid total": []}
    for query in queries:
        t0 = time.perf_counter()
        vector = embedder.embed_queries([query])[0]
        t1 = time.perf_counter()
        bm25.top_k(retriever.tokenizer(query), 10)
        t2 = time.perf_counter()
        retriever.dense.search(vector, retriever.candidate_views)
        t3 = time.perf_counter()
        retriever.run(query)
        t4 = time.perf_counter()
        timings["query embedding"].append(t1 - t0)
        timings["BM25 (sparse) top-10"].append(t2 - t1)
        timings["dense search"].append(t3 - t2)
        timings["hybrid total"].append(t4 - t3)
    print(f"\nlatency over {len(queries)} queries (ms)   p50      p95      p99")
    for name, samples in timings.items():
        print(f"  {name:<30}{percentiles(samples)}")

    reference = BM25Okapi(corpus)
    sample = [retriever.tokenizer(q) for q in queries[: args.rank_bm25_queries]]
    started = time.perf_counter()
    reference_tops = [np.lexsort((np.arange(args.size), -reference.get_scores(q)))[:10] for q in sample]
    reference_s = (time.perf_counter() - started) / len(sample)
    all_tokens = [retriever.tokenizer(q) for q in queries]
    started = time.perf_counter()
    for tokens in all_tokens:
        bm25.top_k(tokens, 10)
    ours_s = (time.perf_counter() - started) / len(all_tokens)
    identical = sum(np.array_equal(top_k(bm25.scores(q), 10)[0], ref) for q, ref in zip(sample, reference_tops))
    print(f"\nBM25 throughput at {args.size} docs: sparse {1 / ours_s:,.1f} q/s vs rank-bm25 {1 / reference_s:,.2f} q/s "
          f"= {reference_s / ours_s:,.0f}x; identical top-10 on {identical}/{len(sample)} parity queries")


if __name__ == "__main__":
    main()
