"""The retrieval benchmark on a tiny collection: every row, ordered percentiles, BM25 parity, and
the page it writes. Real embedder, real FAISS, real rank-bm25; speed itself is not asserted."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.bench.report import GENERATED, write_report
from eval.bench.retrieval_bench import measure

METHODS = ("query embedding", "rank-bm25", "project BM25", "FAISS flat", "FAISS HNSW", "hybrid total")


@pytest.fixture(scope="module")
def tiny() -> dict:
    return measure(300, queries=12, rank_bm25_queries=4, embed_sample=40)


def test_every_method_has_ordered_percentiles(tiny: dict) -> None:
    names = [row["name"] for row in tiny["rows"]]
    assert [next(n for n in names if n.startswith(m)) for m in METHODS], names
    assert len(names) == len(METHODS)
    for row in tiny["rows"]:
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"], row
        assert row["qps"] > 0, row
    rank = next(row for row in tiny["rows"] if row["name"].startswith("rank-bm25"))
    assert rank["queries"] == 4 and "only 4 of 12" in rank["note"]


def test_project_bm25_matches_rank_bm25_and_build_rates_are_measured(tiny: dict) -> None:
    assert tiny["parity"] == {"identical_top10": 4, "checked": 4}
    assert all(rate > 0 for rate in tiny["build_chunks_per_s"].values()), tiny["build_chunks_per_s"]
    assert tiny["memory_mb"]["vectors"] > 0


def test_the_page_shows_the_figures_and_keeps_the_hand_written_top(tiny: dict, tmp_path: Path) -> None:
    results, doc = tmp_path / "results", tmp_path / "docs" / "benchmarks.md"
    results.mkdir()
    run = {"kind": "retrieval", "command": "kefu bench retrieval --sizes 300", "results": [tiny],
           "machine": {"cpu": "test CPU", "cores": 2, "ram_gb": 1, "os": "Linux", "python": "3.11",
                       "date": "today", "load_start": [1.0, 1.0, 1.0], "load_end": [2.0, 2.0, 2.0]}}
    (results / "retrieval.json").write_text(json.dumps(run), encoding="utf-8")
    write_report(results, doc)
    page = doc.read_text(encoding="utf-8")
    assert "### 300 chunks" in page and "identical top-10 on 4/4" in page and "test CPU, 2 cores" in page
    assert "Not run yet: `./kefu bench load`" in page
    svg = doc.parent / "benchmarks" / "retrieval-latency-p95.svg"
    assert svg.read_text(encoding="utf-8").startswith("<svg") and "polyline" in svg.read_text(encoding="utf-8")
    doc.write_text("# Mine\n\nkept paragraph\n\n" + GENERATED + "\nold figures\n", encoding="utf-8")
    write_report(results, doc)
    page = doc.read_text(encoding="utf-8")
    assert page.startswith("# Mine\n\nkept paragraph") and "old figures" not in page and "### 300 chunks" in page
