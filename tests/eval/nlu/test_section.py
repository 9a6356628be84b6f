"""The nlu suite's side of the interface with eval/nlu/suite.py (issue 7): its JSON becomes
metrics and report data; without the module or the data set the suite skips with a clear reason."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from eval.suites import nlu
from eval.suites.context import EvalContext, SuiteSkipped
from eval.suites.runner import run_one
from tests.eval.fixtures import nlu_json

REPO = Path(__file__).resolve().parents[3]


def test_the_agreed_json_becomes_flat_metrics_and_worst_intents() -> None:
    result = nlu.from_json(nlu_json())
    assert result["metrics"]["kefu/accuracy"] == 0.8667 and result["metrics"]["stock/oos_recall"] == 0.62
    assert result["metrics"]["kefu/macro_f1"] == pytest.approx((0.95 + 0.8 + 0.9) / 3, abs=1e-4)
    assert result["failures"][0] == {"pipeline": "kefu", "intent": "order_status", "f1": 0.8}


def test_json_in_another_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="agreed schema"):
        nlu.from_json({"accuracy": 0.9})


def test_without_the_nlu_module_the_suite_says_so_and_invents_nothing(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "eval.nlu.suite", None)  # makes the import fail
    result = run_one("nlu", EvalContext(tmp_path))
    assert result == {"status": "skipped", "message": "nlu suite not available yet: eval/nlu/suite.py is missing",
                      "metrics": {}}


def test_named_nlu_data_sets_skip_cleanly_without_shared_datasets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_DATASETS", str(tmp_path))
    for name in ("cic", "clinc150", "banking77"):
        with pytest.raises(SuiteSkipped, match=f"data set '{name}' not found"):
            nlu.nlu_dataset(EvalContext(tmp_path, options={"dataset": name}))
    with pytest.raises(SuiteSkipped, match="QA file"):
        nlu.nlu_dataset(EvalContext(tmp_path, options={"dataset": "qa.jsonl"}))
    assert nlu.nlu_dataset(EvalContext(tmp_path)) == str(REPO / "nlu_data")


def test_the_real_nlu_suite_runs_through_kefu_eval(tmp_path: Path) -> None:
    from eval.cli import main

    if not os.environ.get("KEFU_RASA_PYTHON"):
        pytest.skip("the NLU suite trains in the Rasa environment: run through `./kefu test`")

    # A small Rasa file keeps this a test of the wiring (kefu eval -> the Rasa environment -> the
    # report), ~1 min instead of ~10 for the bot's 2,000 messages; the full figures come from
    # `kefu eval nlu` (docs/nlu.md).
    from tests.eval.nlu.test_eval import nlu_yaml

    data = tmp_path / "tiny_nlu.yml"
    data.write_text(nlu_yaml(), encoding="utf-8")
    main(["nlu", "--quick", "--dataset", str(data), "--out", str(tmp_path)])
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    suite = data["suites"]["nlu"]
    assert suite["status"] == "ok", suite.get("message")
    assert {"kefu/accuracy", "kefu/macro_f1", "stock/macro_f1"} <= set(suite["metrics"])
    assert 0 < suite["metrics"]["kefu/macro_f1"] <= 1
    assert 'id="suite-nlu"' in (tmp_path / "report.html").read_text(encoding="utf-8")
