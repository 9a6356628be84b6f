"""`kefu eval rag_live` against the real stack on a small QA file written here: a knowledge
question reaches the knowledge base and is cited, a tracking request starts the order lookup form,
and each lands in the right metric."""
from __future__ import annotations

import json
from pathlib import Path

from eval.cli import main

QUESTIONS = [
    {"id": "fee", "question": "退货寄回去的运费谁来出？", "key_fact": "顾客承担", "doc_id": "return-shipping-fee"},
    {"id": "track", "question": "帮我查下订单HW2026110001到哪了", "key_fact": "运单号", "doc_id": "ship-track-order"},
    {"id": "wrong-doc", "question": "退货运费谁出", "key_fact": "顾客承担", "doc_id": "invoice-how-to"},
]


def test_knowledge_questions_through_the_bot_are_scored_by_where_they_went(live_urls: tuple[str, str],
                                                                         tmp_path: Path) -> None:
    qa = tmp_path / "qa.jsonl"
    qa.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in QUESTIONS), encoding="utf-8")
    main(["rag_live", "--qa", str(qa), "--out", str(tmp_path / "out"), "--gateway", live_urls[0], "--rasa", live_urls[1]])
    suite = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))["suites"]["rag_live"]
    assert suite["status"] == "ok" and suite["questions"] == 3
    failures = {row["id"]: row for row in suite["failures"]}
    assert "fee" not in failures, "a plain knowledge question is answered from the knowledge base and cited"
    track = failures["track"]
    assert track["intent"] == "order_status" and "order_lookup_form" in track["actions"] and not track["cited"]
    assert not track["reached_knowledge"] and track["started_form"]
    wrong = failures["wrong-doc"]  # answered and cited, but not from the document this file expects
    assert wrong["reached_knowledge"] and wrong["cited"] == ["return-shipping-fee"] and not wrong["correct_and_cited"]
    metrics = suite["metrics"]
    assert metrics["reached_knowledge"] == round(2 / 3, 4) and metrics["started_form"] == round(1 / 3, 4)
    assert metrics["correct_and_cited"] == round(1 / 3, 4)
    assert suite["routes"] == {"order_status": 1}
