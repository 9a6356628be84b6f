"""How the shop's knowledge base answers English questions (docs/evaluation.md, "English questions").

    python -m eval.check_english          # needs `kefu index` run; CLINC150 when ../shared/datasets exists

Asks the demo knowledge service the 40 English calibration questions of eval/data/english_dev.jsonl
(written for calibration, not a blind test) and 400 CLINC150 validation queries from other domains,
and prints how many are answered with the right item, with a wrong one, or declined.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from bot.config import load_config
from bot.environments import datasets_dir
from bot.knowledge_index import retrieval_settings
from retrieval.service import KnowledgeService

REPO = Path(__file__).resolve().parents[1]
ENGLISH_DEV = REPO / "eval" / "data" / "english_dev.jsonl"
CLINC_SAMPLE = 400


def main() -> None:
    service = KnowledgeService(retrieval_settings(load_config()))
    service.warm_up()
    questions = [json.loads(line) for line in ENGLISH_DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    right = wrong = declined = 0
    for item in questions:
        answer = service.answer(item["question"])
        if answer.abstained:
            declined += 1
        elif answer.citations and answer.citations[0].doc_id == item["doc_id"]:
            right += 1
        else:
            wrong += 1
            print(f"  wrong item for {item['question']!r}: {[c.doc_id for c in answer.citations]}")
    print(f"english_dev: {right}/{len(questions)} right item, {wrong} wrong item, {declined} declined")
    clinc = datasets_dir() / "clinc150" / "data_full.json"
    if not clinc.is_file():
        print(f"CLINC150 not found at {clinc}: skipped")
        return
    data = json.loads(clinc.read_text(encoding="utf-8"))
    sample = random.Random(1).sample(data["val"] + data["oos_val"], CLINC_SAMPLE)
    answered = [(text, label) for text, label in sample if not service.answer(text).abstained]
    print(f"CLINC150 validation (other domains): {len(answered)}/{CLINC_SAMPLE} answered {answered[:10]}")


if __name__ == "__main__":
    main()
