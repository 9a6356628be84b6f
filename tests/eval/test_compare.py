"""`kefu eval compare`: per metric deltas with arrows, lower-is-better for latencies, exit code 0."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from eval.cli import main
from eval.compare import compare
from tests.eval.fixtures import results


def test_better_worse_and_missing_metrics(tmp_path: Path) -> None:
    before = results(tmp_path)
    after = copy.deepcopy(before)
    after["suites"]["rag"]["metrics"]["answer_correct"] = 0.95
    after["suites"]["handoff"]["metrics"]["recall"] = 0.8
    after["suites"]["latency"]["metrics"]["gateway_p95_ms"] = 900.0
    del after["suites"]["rag"]["metrics"]["citation_correct"]
    rows = {r["metric"]: r for r in compare(before, after)}
    assert rows["rag.answer_correct"]["change"] == "better" and rows["rag.answer_correct"]["delta"] == pytest.approx(0.05)
    assert rows["handoff.recall"]["change"] == "worse"
    assert rows["latency.gateway_p95_ms"]["change"] == "better", "a lower latency is an improvement"
    assert rows["rag.citation_correct"]["change"] == "only in A"
    assert rows["handoff.precision"]["change"] == "same"


def test_cli_prints_arrows_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = results(tmp_path)
    after = copy.deepcopy(before)
    after["suites"]["handoff"]["metrics"]["recall"] = 0.8
    (tmp_path / "a.json").write_text(json.dumps(before), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(after), encoding="utf-8")
    assert main(["compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[1]
    assert first.startswith("handoff.recall") and "-0.1" in first and "▼ worse" in first, "regressions come first"
    assert "0 better, 1 worse" in out


def test_a_missing_file_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(tmp_path / "nope.json"), str(tmp_path / "b.json")]) == 2
    assert "nope.json does not exist" in capsys.readouterr().err
