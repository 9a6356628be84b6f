"""eval.nlu.label_agreement: a blind second annotation against the NLU data, and the repo's own annotation."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import yaml

from bot.environments import CODE_ROOT, rasa_python
from tests.rasa_plugins.nlu.rasa_side import run_in_rasa

NLU = """version: "3.1"
nlu:
- intent: refund_status
  examples: |
    - 我的退款到哪了
    - [HW2026110001](order_number)的退款呢
- intent: ask_policy
  examples: |
    - 退款一般几天到
    - 退款原路返回吗
- intent: greet
  examples: |
    - 你好
"""
# The annotator disagrees once (退款原路返回吗: refund_status); one label is for a text the data no longer has.
LABELS = """# a comment line
我的退款到哪了\trefund_status\tsure\t
HW2026110001的退款呢\trefund_status\tsure\t
退款一般几天到\task_policy\tsure\t
退款原路返回吗\trefund_status\tunsure\task_policy
你好\tgreet\tsure\t
早上好\tgreet\tsure\t
"""


def _run(tmp_path: Path, labels: str, *extra: str) -> subprocess.CompletedProcess:
    (tmp_path / "nlu.yml").write_text(NLU, encoding="utf-8")
    (tmp_path / "labels.tsv").write_text(labels, encoding="utf-8")
    return subprocess.run([str(rasa_python()), "-m", "eval.nlu.label_agreement", "--data", str(tmp_path / "nlu.yml"),
                           "--labels", str(tmp_path / "labels.tsv"), *extra],
                          cwd=CODE_ROOT, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(CODE_ROOT), "PATH": "/usr/bin:/bin"})


def test_agreement_kappa_and_the_split_of_the_classifiers_errors(tmp_path: Path) -> None:
    # Cross-validated predictions: one error the annotator gets right (你好 -> refund_status),
    # one where the annotator sides with the classifier (退款原路返回吗 -> refund_status).
    run_in_rasa(f"""
        import pickle
        from eval.nlu.rasa_pipeline import Prediction
        rows = [("我的退款到哪了", "refund_status", "refund_status"), ("HW2026110001的退款呢", "refund_status", "refund_status"),
                ("退款一般几天到", "ask_policy", "ask_policy"), ("退款原路返回吗", "ask_policy", "refund_status"),
                ("你好", "greet", "refund_status")]
        saved = {{"oos_label": None, "unseen_intent": None,
                  "predictions": {{"kefu": [Prediction(t, g, [(p, 0.9)]) for t, g, p in rows]}}}}
        open({str(tmp_path / "pred.pkl")!r}, "wb").write(pickle.dumps(saved))
        print("{{}}")
    """)
    completed = _run(tmp_path, LABELS, "--predictions", str(tmp_path / "pred.pkl"),
                     "--json-out", str(tmp_path / "report.json"), "--show")
    assert completed.returncode == 0, completed.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert (report["examples"], report["annotated"], report["stale_labels"]) == (5, 5, 1)
    annotator = report["annotator"]
    assert annotator["accuracy"] == 0.8
    # data a a b b c against annotator a a a b c (a = refund_status): observed 0.8, chance 0.36
    assert annotator["kappa"] == round((0.8 - 0.36) / (1 - 0.36), 4)
    assert report["annotator_sure_only"]["accuracy"] == 1.0 and report["unsure_share"] == 0.2
    assert report["data_intent_among_annotator_choices"] == 1.0
    classifier = report["classifier"]
    assert classifier["pipeline"] == "kefu" and classifier["errors"] == 2
    assert classifier["errors_annotator_sides_with_data"] == 1
    assert classifier["errors_annotator_sides_with_classifier"] == 1
    assert "退款原路返回吗\tdata ask_policy\tannotator refund_status (unsure, 2nd ask_policy)" in completed.stdout


def test_a_malformed_labels_file_is_refused_with_the_line_to_fix(tmp_path: Path) -> None:
    completed = _run(tmp_path, "你好\tgreeting\tsure\t\n")
    assert completed.returncode == 2
    assert "labels.tsv:1: expected text<TAB>intent with one of the data's intents" in completed.stderr
    completed = _run(tmp_path, "你好\tgreet\tmaybe\t\n")
    assert completed.returncode == 2 and "must be sure or unsure" in completed.stderr
    completed = _run(tmp_path, LABELS, "--predictions", str(tmp_path / "missing.pkl"))
    assert completed.returncode == 2 and "no such predictions file" in completed.stderr


def test_the_repos_blind_annotation_covers_the_bots_data_and_the_guide_lists_every_intent(tmp_path: Path) -> None:
    completed = subprocess.run([str(rasa_python()), "-m", "eval.nlu.label_agreement", "--json-out", str(tmp_path / "r.json")],
                               cwd=CODE_ROOT, capture_output=True, text=True, timeout=300,
                               env={"PYTHONPATH": str(CODE_ROOT), "PATH": "/usr/bin:/bin"})
    assert completed.returncode == 0, completed.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    # The file must not rot silently: most of the bot's examples are in it.
    assert report["annotated"] >= 0.9 * report["examples"], report["not_annotated"]
    domain = yaml.safe_load((CODE_ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    guide = (CODE_ROOT / "docs" / "annotation-guide.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| (\w+) \| ", guide, flags=re.M)) - {"intent"}
    assert listed == intents - {"nlu_fallback"}
