"""`kefu eval rag`: the knowledge answers themselves, through KnowledgeService.answer().

Definitions (per question, answerable = has a reference):
- answer correct: the bot answered (did not abstain) and, when the item has a `key_fact`, the
  answer contains it verbatim; otherwise the answer must contain at least 80% of the reference's
  tokens (characters for Chinese, words otherwise; "token recall"). Token F1 with the reference is
  reported as `mean_token_f1` but does not decide: it punishes a right answer for being longer
  than the reference;
- citation correct: a cited doc_id is the gold doc_id or one of `also_acceptable`;
- support check: of the questions that reached generation (not stopped by retrieval
  abstention), the share whose answer passed the generator's own quality gates (support,
  hedging, banned words) — plus the share of answer sentences over the support threshold;
- abstention: the share of unanswerable questions (`answer: null`) the bot declined to answer.
"""
from __future__ import annotations

from typing import Any

from eval.loaders.qa import UNANSWERABLE, QAItem, load_qa
from eval.suites.context import EvalContext, progress
from eval.suites.metrics import token_f1, token_recall
from eval.suites.retrieval import PROJECT_QA, qa_source

RECALL_THRESHOLD = 0.8


def answer_correct(item: QAItem, text: str) -> bool:
    if item.key_fact is not None:
        return item.key_fact in text
    return token_recall(text, item.answer or "") >= RECALL_THRESHOLD


def judge(service: Any, item: QAItem) -> dict[str, Any]:
    answer = service.answer(item.question)
    cited = [c.doc_id for c in answer.citations]
    row: dict[str, Any] = {"id": item.id, "question": item.question, "answer": answer.text, "cited": cited,
                           "abstained": answer.abstained, "reason": answer.reason, "expected_doc": item.doc_id,
                           "reference": item.key_fact or item.answer}
    if item.answerable:
        row["correct"] = not answer.abstained and answer_correct(item, answer.text)
        row["cited_right"] = bool(item.relevant_docs & set(cited))
        if item.answer is not None and item.key_fact is None:
            row["token_f1"] = round(token_f1(answer.text, item.answer), 4) if not answer.abstained else 0.0
    row["reached_generation"] = not answer.abstained or answer.reason == "quality_gate_failed"
    row["gates_passed"] = not answer.abstained
    support = (answer.gates or {}).get("support") or []
    row["sentences"], row["supported"] = len(support), sum(s >= service.config.gates.min_support for s in support)
    return row


def share(rows: list[dict[str, Any]], key: str) -> float:
    return round(sum(bool(r[key]) for r in rows) / len(rows), 4) if rows else float("nan")


def run(ctx: EvalContext) -> dict[str, Any]:
    path, split = qa_source(ctx)
    items = load_qa(path, split)
    if path == PROJECT_QA:
        items += load_qa(UNANSWERABLE)
    service = ctx.knowledge_service()
    progress(f"rag: answering {len(items)} questions")
    rows = [judge(service, item) for item in items]
    answerable = [r for r, item in zip(rows, items) if item.answerable]
    unanswerable = [r for r, item in zip(rows, items) if not item.answerable]
    generated = [r for r in rows if r["reached_generation"]]
    sentences = sum(r["sentences"] for r in rows)
    metrics = {
        "answer_correct": share(answerable, "correct"),
        "citation_correct": share(answerable, "cited_right"),
        "correct_and_cited": round(sum(r["correct"] and r["cited_right"] for r in answerable) / len(answerable), 4)
        if answerable else float("nan"),
        "answered_when_answerable": round(1 - share(answerable, "abstained"), 4) if answerable else float("nan"),
        "support_check_pass": share(generated, "gates_passed"),
        "sentences_supported": round(sum(r["supported"] for r in rows) / sentences, 4) if sentences else float("nan"),
        "abstained_when_unanswerable": share(unanswerable, "abstained"),
    }
    with_f1 = [r["token_f1"] for r in answerable if "token_f1" in r]
    if with_f1:  # only for references given as full answers (key facts are too short for F1)
        metrics["mean_token_f1"] = round(sum(with_f1) / len(with_f1), 4)
    failures = [r for r in answerable if not (r["correct"] and r["cited_right"])]
    failures += [r for r in unanswerable if not r["abstained"]]
    return {"status": "ok", "metrics": metrics, "source": str(path), "split": split,
            "counts": {"answerable": len(answerable), "unanswerable": len(unanswerable)},
            "definition": __doc__.split("Definitions", 1)[1].strip(), "failures": failures[:15]}
