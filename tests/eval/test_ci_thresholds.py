"""CI gate: the fast suites against the real stack (Rasa + action server + gateway) must meet every
threshold of eval/thresholds.yml; and a deliberately broken NLU model (trained on shuffled
labels) must fail the gate."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml

from eval.cli import main
from eval.report.thresholds import check, load_thresholds
from eval.suites.nlu import from_json

REPO = Path(__file__).resolve().parents[2]
FAST_SUITES = ("retrieval", "rag", "conversations", "rag_live", "handoff", "latency")


def test_fast_suites_meet_every_threshold(live_urls: tuple[str, str], tmp_path: Path) -> None:
    code = main([",".join(FAST_SUITES), "--quick", "--out", str(tmp_path), "--gateway", live_urls[0],
                 "--rasa", live_urls[1]])
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    for name in FAST_SUITES:
        assert data["suites"][name]["status"] == "ok", (name, data["suites"][name].get("message"))
        gates = [row for row in data["thresholds"] if row["suite"] == name]
        assert gates and any(row["passed"] is not None for row in gates), f"{name} has no threshold that was checked"
    failed = [f"{r['suite']}.{r['metric']} = {r['actual']} (min {r.get('min')}, max {r.get('max')})"
              for r in data["thresholds"] if r["passed"] is False]
    assert not failed, "thresholds failed:\n" + "\n".join(failed)
    assert code == 0 and data["passed"]


def shuffled_nlu_data(folder: Path) -> Path:
    """The demo NLU data with every example's intent label shuffled (a broken model's training data)."""
    examples = []
    for path in sorted((REPO / "nlu_data").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in item:
                examples += [(item["intent"], line[2:]) for line in item["examples"].splitlines() if line.startswith("- ")]
    labels = [intent for intent, _ in examples]
    random.Random(7).shuffle(labels)
    grouped: dict[str, list[str]] = {}
    for label, (_, text) in zip(labels, examples):
        grouped.setdefault(label, []).append(text)
    nlu = [{"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)} for intent, texts in grouped.items()]
    path = folder / "shuffled_nlu.yml"
    path.write_text(yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_model_trained_on_shuffled_labels_fails_the_gate(tmp_path: Path) -> None:
    from eval.nlu.suite import run_nlu_suite

    gates = load_thresholds().get("nlu") or {}
    if not gates:
        pytest.skip("no nlu gate in eval/thresholds.yml yet: measure `kefu eval nlu --quick` on the reference "
                    "machine and add kefu/macro_f1 with a margin")
    # Only Kefu's pipeline: the gate is on kefu/macro_f1, and stock would double the time.
    data = run_nlu_suite(str(shuffled_nlu_data(tmp_path)), quick=True, json_out=tmp_path / "nlu.json",
                         pipelines="kefu")
    rows = check({"suites": {"nlu": from_json(data)}}, {"nlu": gates})
    assert any(row["passed"] is False for row in rows), rows
