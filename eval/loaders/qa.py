"""JSONL question-answer sets: one `{question, answer, doc_id}` object per line.

`answer` is the reference answer (null: the question is unanswerable from the knowledge base and
the bot should abstain). Optional keys: `key_fact` (a short string the answer must contain; used
instead of `answer` when present), `also_acceptable` (other doc_ids that also count as right),
`id`, `split` (the project's grounding set marks `dev` rows used for calibration).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.loaders import LoaderError, jsonl_rows

REPO = Path(__file__).resolve().parents[2]
PROJECT_QA = REPO / "eval" / "data" / "grounding_qa.jsonl"
UNANSWERABLE = REPO / "eval" / "data" / "unanswerable.jsonl"


@dataclass
class QAItem:
    id: str
    question: str
    answer: str | None
    doc_id: str | None
    key_fact: str | None = None
    also_acceptable: list[str] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        return self.answer is not None or self.key_fact is not None

    @property
    def relevant_docs(self) -> set[str]:
        return {d for d in [self.doc_id, *self.also_acceptable] if d}


def _item(row: dict[str, Any], where: str, number: int) -> QAItem:
    if not isinstance(row, dict) or not str(row.get("question") or "").strip():
        raise LoaderError(f"{where}:{number}: each line needs a non-empty \"question\"")
    if "answer" not in row and "key_fact" not in row:
        raise LoaderError(f"{where}:{number}: add \"answer\" (the reference text, or null when unanswerable)")
    answer, key_fact = row.get("answer"), row.get("key_fact")
    if (answer is not None or key_fact is not None) and not row.get("doc_id"):
        raise LoaderError(f"{where}:{number}: an answerable question needs \"doc_id\" (the document that answers it)")
    return QAItem(id=str(row.get("id") or f"q{number}"), question=str(row["question"]).strip(),
                  answer=None if answer is None else str(answer), doc_id=row.get("doc_id"),
                  key_fact=None if key_fact is None else str(key_fact),
                  also_acceptable=list(row.get("also_acceptable") or []))


def load_qa(path: Path, split: str | None = None) -> list[QAItem]:
    """Items of a JSONL QA file; `split` keeps only rows whose `split` matches (rows without one stay)."""
    items = []
    for number, row in jsonl_rows(path, "QA file", "--qa", "; one object per line"):
        if split is None or row.get("split") in (None, split):
            items.append(_item(row, str(path), number))
    if not items:
        raise LoaderError(f"{path} has no questions" + (f" in split {split!r}" if split else ""))
    return items
