"""Open-set fallback calibration: out_of_scope is left out of training, so only the threshold can
reject it, and closed-set predictions are refused unless asked for (eval/nlu/calibrate.py)."""
from __future__ import annotations

import pickle
from pathlib import Path

from eval.nlu.rasa_pipeline import Prediction
from tests.rasa_plugins.nlu.rasa_side import run_in_rasa


def test_without_intent_drops_only_that_intent_and_keeps_the_lookup_data() -> None:
    result = run_in_rasa("""
        import json
        from rasa.shared.nlu.training_data.message import Message
        from rasa.shared.nlu.training_data.training_data import TrainingData
        from eval.nlu.datasets import without_intent
        messages = [Message(data={"text": t, "intent": i}) for t, i in
                    [("你好", "greet"), ("在吗", "greet"), ("天气如何", "out_of_scope"), ("退款呢", "refund")]]
        data = TrainingData(messages, lookup_tables=[{"name": "product", "elements": ["空气炸锅"]}])
        kept = without_intent(data, "out_of_scope")
        print(json.dumps({"intents": sorted(m.get("intent") for m in kept.intent_examples),
                          "lookups": [t["name"] for t in kept.lookup_tables],
                          "original": len(data.intent_examples)}))
    """)
    assert result == {"intents": ["greet", "greet", "refund"], "lookups": ["product"], "original": 4}


def _predictions(path: Path, unseen_intent: str | None) -> Path:
    predictions = [Prediction("你好", "greet", [("greet", 0.9), ("refund", 0.1)]),
                   Prediction("退款呢", "refund", [("refund", 0.7), ("greet", 0.3)]),
                   Prediction("天气如何", "out_of_scope", [("greet", 0.4), ("refund", 0.35)]),
                   Prediction("asdfgh", "out_of_scope", [("refund", 0.3), ("greet", 0.28)])]
    path.write_bytes(pickle.dumps({"oos_label": "out_of_scope", "predictions": {"kefu": predictions},
                                   "unseen_intent": unseen_intent}))
    return path


def _calibrate(path: Path, *flags: str) -> dict:
    return run_in_rasa(f"""
        import contextlib, io, json
        from eval.nlu.calibrate import main
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["--predictions", {str(path)!r}, *{list(flags)!r}])
            except SystemExit as stop:
                code = stop.code
        print(json.dumps({{"code": code, "out": out.getvalue(), "err": err.getvalue()}}))
    """)


def test_closed_set_predictions_are_refused_with_the_command_to_run(tmp_path: Path) -> None:
    result = _calibrate(_predictions(tmp_path / "closed.pkl", None))
    assert result["code"] == 2
    assert "--unseen-intent out_of_scope" in result["err"] and "--closed-set" in result["err"]


def test_open_set_predictions_choose_a_threshold_that_rejects_the_unseen(tmp_path: Path) -> None:
    result = _calibrate(_predictions(tmp_path / "open.pkl", "out_of_scope"))
    assert result["code"] == 0, result["err"]
    chosen = next(line for line in result["out"].splitlines() if line.startswith("chosen:"))
    threshold = float(chosen.split("threshold ")[1].split(",")[0])
    # Both unseen messages top out at 0.4 or less, both in-scope ones at 0.7 or more.
    assert 0.4 < threshold <= 0.7, chosen
    assert "oos recall 1.0000" in chosen and "in-scope accuracy 1.0000" in chosen
    # Two out-of-scope messages cannot show 0.80 recall with confidence: the command says so.
    assert "at 95 % confidence" in result["out"] and "More out_of_scope examples" in result["out"]


def test_the_novelty_guard_threshold_is_calibrated_and_written(tmp_path: Path) -> None:
    # The unseen questions are as confident as the in-scope ones; only their similarity to the
    # training messages tells them apart, so only the guard can reach the recall floor.
    predictions = [Prediction(f"in {i}", "greet", [("greet", 0.9), ("refund", 0.1)], 0.90 + i / 1000)
                   for i in range(30)]
    predictions += [Prediction(f"oos {i}", "out_of_scope", [("refund", 0.9), ("greet", 0.1)], 0.74 + i / 1000)
                    for i in range(30)]
    path = tmp_path / "guard.pkl"
    path.write_bytes(pickle.dumps({"oos_label": "out_of_scope", "predictions": {"kefu": predictions},
                                   "unseen_intent": "out_of_scope"}))
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n  - name: FallbackClassifier\n    threshold: 0.9\n    ambiguity_threshold: 0.5\n"
                      "  # the guard's own comment\n"
                      "  - name: rasa_plugins.nlu.novelty_guard.NoveltyGuard\n    similarity_threshold: null\n"
                      "policies: []\n", encoding="utf-8")
    result = _calibrate(path, "--write", "--config", str(config))
    assert result["code"] == 0, result["err"]
    written = config.read_text(encoding="utf-8")
    threshold = float(written.split("similarity_threshold: ")[1].split()[0])
    assert 0.77 < threshold <= 0.90, written
    assert written.count("# calibrated") == 2 and "ambiguity_threshold: 0.5" not in written
    assert "  # the guard's own comment\n  - name: rasa_plugins.nlu.novelty_guard.NoveltyGuard" in written
    assert written.endswith("policies: []\n")
    assert "oos recall 1.0000" in result["out"] and "in-scope accuracy 1.0000" in result["out"]
