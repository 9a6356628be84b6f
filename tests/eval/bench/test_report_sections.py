"""docs/benchmarks.md keeps the published figures of benchmarks whose results are not on this machine."""
from __future__ import annotations

import json
from pathlib import Path

from eval.bench.report import GENERATED, write_report

DESK = {"command": "kefu bench desk", "machine": {"cpu": "test CPU", "cores": 2, "ram_gb": 1.0, "os": "Linux",
                                                   "python": "3.11", "date": "today", "load_start": [0.1, 0.1, 0.1]},
        **{key: {"questions": 4, "top3_hits": 3, "latency": {"p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0}}
           for key in ("gateway", "suggester", "rank_bm25")}}


def test_one_benchmark_rewrites_its_section_and_keeps_the_others(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\nhand-written intro\n{GENERATED}\n\n## Full-stack load\n\nload figures 123\n\n"
                   "## Retrieval\n\nretrieval figures 456\n\n## Desk (agents' suggested answers)\n\nold desk 789\n",
                   encoding="utf-8")
    results = tmp_path / "results"
    results.mkdir()
    (results / "desk.json").write_text(json.dumps(DESK), encoding="utf-8")
    text = write_report(results, doc).read_text(encoding="utf-8")
    assert "hand-written intro" in text and "load figures 123" in text and "retrieval figures 456" in text
    assert "old desk 789" not in text and "| Kefu gateway, end to end | 4 | 0.750 |" in text
    assert "Not run yet: `./kefu bench startup`" in text  # never published, no results: said so
