"""`kefu bench retrieval`: eval/bench/retrieval_bench.py once per collection size, each in its own process so
that the RSS growth of one size's index is not hidden by memory the previous size left behind."""
from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.environments import CODE_ROOT
from eval.bench.machine import describe, load_average


class BenchFailed(RuntimeError):
    """One size's benchmark process failed; the message holds its last output lines."""


def measure_size(size: int, queries: int, rank_bm25_queries: int, embed_sample: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="kefu-bench-") as folder:
        out = Path(folder) / "result.json"
        command = [sys.executable, "-m", "eval.bench.retrieval_bench", "--size", str(size), "--queries", str(queries),
                   "--rank-bm25-queries", str(rank_bm25_queries), "--embed-sample", str(embed_sample),
                   "--json", str(out)]
        # progress lines (stderr) go straight to the terminal; the table (stdout) is not needed
        done = subprocess.run(command, cwd=CODE_ROOT, stdout=subprocess.PIPE, text=True)
        if done.returncode != 0 or not out.exists():
            raise BenchFailed(f"retrieval benchmark at {size} chunks failed (exit {done.returncode})")
        return json.loads(out.read_text(encoding="utf-8"))


def run_retrieval(sizes: list[int], queries: int, rank_bm25_queries: int, embed_sample: int,
                  say: Callable[[str], None], argv: list[str]) -> dict[str, Any]:
    machine = describe()
    results = []
    for size in sizes:
        bounded = min(rank_bm25_queries, queries)
        say(f"retrieval benchmark at {size:,} chunks ({queries} queries, rank-bm25 on {bounded})")
        results.append(measure_size(size, queries, rank_bm25_queries, embed_sample))
    machine["load_end"] = load_average()
    return {"kind": "retrieval", "command": "kefu bench " + shlex.join(argv), "machine": machine,
            "results": results}
