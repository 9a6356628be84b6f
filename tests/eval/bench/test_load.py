"""A short load run against the real stack (gateway, Rasa, action server, SQLite): every phase
returns well-formed figures with zero errors, and the page gets written. Speed is not asserted."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.stack_process import RunningStack
from eval.bench.conversations import DEFAULT_MIX
from eval.bench.load_run import LoadOptions, run_phases, summarise
from eval.bench.report import write_report
from eval.bench.stack import Targets

MACHINE = {"cpu": "test CPU", "cores": 2, "ram_gb": 1, "os": "Linux", "python": "3.11", "date": "today",
           "load_start": [1.0, 1.0, 1.0], "load_end": [1.0, 1.0, 1.0]}


@pytest.fixture(scope="module")
def phases(running_stack: RunningStack) -> list[dict]:
    running_stack.wait_for_knowledge(timeout_s=600)
    pids = {name: pid for name, pid in running_stack.service_pids().items() if name != "supervisor"}
    targets = Targets(running_stack.gateway, running_stack.rasa, pids)
    options = LoadOptions(customers=2, duration_s=12, compare_s=6, warm_up_s=1, think_s=0.2,
                          mix=tuple(DEFAULT_MIX.items()))
    return run_phases(targets, options, say=lambda _: None)


def test_every_phase_runs_turns_without_errors(phases: list[dict]) -> None:
    assert [p["label"] for p in phases] == ["kefu-mixed", "kefu-no-knowledge", "plain-rasa"]
    assert [p["think_s"] for p in phases] == [0.2, 0.0, 0.0], "customers pause in phase 1 only"
    for phase in phases:
        assert phase["errors"] == 0, phase["error_examples"]
        assert phase["turns"] > 0 and phase["turns_per_s"] > 0 and phase["conversations"] >= 2
        assert sum(s["n"] for s in phase["by_kind"].values()) == phase["turns"]
        for stats in phase["by_kind"].values():
            assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"] <= stats["max_ms"]
        assert {"rasa", "actions", "gateway"} <= set(phase["memory"]["trend"])
        assert all(t["start_mb"] > 0 and t["cpu_pct"] >= 0 for t in phase["memory"]["trend"].values())
        assert phase["memory"]["trend"]["rasa"]["cpu_pct"] > 0, "Rasa worked during the phase"
    assert "knowledge" in phases[0]["by_kind"], "the mixed phase asks the knowledge base"
    assert "knowledge" not in phases[1]["by_kind"] and "knowledge" not in phases[2]["by_kind"]


def test_the_page_is_written_with_the_comparison(phases: list[dict], tmp_path: Path) -> None:
    results, doc = tmp_path / "results", tmp_path / "benchmarks.md"
    results.mkdir()
    run = {"kind": "load", "command": "kefu bench load --customers 2", "machine": MACHINE, "index_size": 0,
           "options": {"customers": 2}, "stack_startup_s": 1.0, "phases": phases, "summary": summarise(phases)}
    assert run["summary"]["throughput_ratio"] > 0 and run["summary"]["errors"] == 0
    (results / "load.json").write_text(json.dumps(run), encoding="utf-8")
    page = write_report(results, doc).read_text(encoding="utf-8")
    assert "## Full-stack load" in page and "| plain-rasa | rasa, closed loop |" in page and "| zero errors | 0 | yes |" in page
    assert "Kefu (gateway) vs plain Rasa REST" in page
    assert "| kefu-mixed | gateway, 0.2 s think |" in page and "Phase 1: 0.2 s mean think time" in page
    assert (tmp_path / "benchmarks" / "load-latency-histogram.svg").read_text(encoding="utf-8").startswith("<svg")
