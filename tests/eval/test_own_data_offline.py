"""A user's own QA file evaluated by retrieval and rag without code changes (written here), and
named data sets that are absent skip with a message in the results, not an error."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.cli import main

QA = [
    {"id": "mine-1", "question": "退款一般几天能到账", "answer": "仓库收到退货后48小时内退款", "doc_id": "refund-timing"},
    {"id": "mine-2", "question": "可以开发票吗，在哪申请", "key_fact": "发票", "doc_id": "invoice-how-to"},
    {"id": "mine-3", "question": "送货到月球要几天", "answer": None, "doc_id": None},
]


def test_own_qa_file_and_absent_cic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KEFU_DATASETS", str(tmp_path / "no-datasets"))
    qa = tmp_path / "my_qa.jsonl"
    qa.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in QA), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["retrieval,rag", "--qa", str(qa), "--out", str(out)])  # not --quick: CIC is attempted
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    retrieval, rag = data["suites"]["retrieval"], data["suites"]["rag"]
    assert retrieval["status"] == rag["status"] == "ok"
    assert retrieval["sets"]["project_qa"]["questions"] == 2 and retrieval["sets"]["project_qa"]["source"] == str(qa)
    assert any("CIC skipped" in note and "no-datasets" in note for note in retrieval["notes"])
    assert "cic/hybrid/mrr" not in retrieval["metrics"]
    assert retrieval["metrics"]["project_qa/hybrid/recall@3"] == 1.0, "two easy questions of the knowledge base"
    assert rag["counts"] == {"answerable": 2, "unanswerable": 1}
    assert rag["metrics"]["citation_correct"] == 1.0 and rag["metrics"]["answer_correct"] == 1.0
    assert "mean_token_f1" in rag["metrics"], "a full reference answer gets a token F1"
    cic_row = next(r for r in data["thresholds"] if r["metric"] == "cic/hybrid/mrr")
    assert cic_row["passed"] is None and cic_row["note"] == "not measured in this run"
    assert code == (0 if data["passed"] else 1)
    assert "report:" in capsys.readouterr().out


def test_a_missing_input_file_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rag", "--qa", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"kefu eval: --qa {tmp_path / 'missing.jsonl'}: no such file or folder"
    assert main(["nlu,typo", "--out", str(tmp_path)]) == 2
    assert "unknown suite typo" in capsys.readouterr().err


def test_a_regression_fails_the_gate_with_exit_code_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Gold documents that the bot never cites (a knowledge base that lost them) must fail rag's gates."""
    wrong = [{"question": row["question"], "answer": row["answer"], "doc_id": "a-document-that-is-gone"}
             for row in QA if row.get("answer")]
    qa = tmp_path / "wrong_docs.jsonl"
    qa.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in wrong), encoding="utf-8")
    assert main(["rag", "--qa", str(qa), "--out", str(tmp_path / "out")]) == 1
    data = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    failed = {row["metric"] for row in data["thresholds"] if row["passed"] is False}
    assert "citation_correct" in failed and data["passed"] is False
    assert "FAIL rag.citation_correct: 0.0" in capsys.readouterr().out
