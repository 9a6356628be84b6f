"""`kefu eval rag_live`: the same knowledge questions as `kefu eval rag`, asked through the running
bot (gateway -> Rasa NLU and policies -> action server), each as the first message of a new
conversation. `rag` measures the knowledge service alone; this measures whether the bot lets it
answer: a knowledge question the NLU gives to a form-starting or small-talk intent never reaches
the knowledge base, however good the retrieval is.

Definitions (answerable questions of the project's QA set, test split, or `--qa FILE`):
- reached_knowledge: the reply carries citations, or the bot ran `action_answer_from_knowledge`
  or `action_answer_topic` for the message (the knowledge base was asked, whatever it said);
- answered_with_citation: the reply carries at least one citation;
- started_form: the bot started a form instead (e.g. the order lookup, which asks for an order
  number). For a request phrased as a question ("包裹走到哪里了") that is the better answer; for a
  general question ("北京一般几天能送到") it is a misroute. The share is reported, not judged;
- correct_and_cited: the reply contains the key fact (or 80% of the reference's tokens) and cites
  the expected document (or one of `also_acceptable`), as in `kefu eval rag`;
- the `routes` table counts the intent the NLU gave each question that did not reach the knowledge base.
"""
from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from eval.loaders.qa import QAItem, load_qa
from eval.suites.context import EvalContext, progress
from eval.suites.live import LiveStack, bot_text, cited_docs, last_turn
from eval.suites.rag import answer_correct, share
from eval.suites.retrieval import qa_source

KNOWLEDGE_ACTIONS = {"action_answer_from_knowledge", "action_answer_topic"}


def ask(live: LiveStack, item: QAItem, sender: str) -> dict[str, Any]:
    response = live.chat("rag_live", sender, item.question)
    text, cited = bot_text(response), cited_docs(response)
    intent, actions = last_turn(live.tracker(live.bot_sender(sender)))
    return {"id": item.id, "question": item.question, "intent": intent, "actions": actions, "answer": text[:300],
            "cited": cited, "expected_doc": item.doc_id,
            "reached_knowledge": bool(cited) or bool(KNOWLEDGE_ACTIONS & set(actions)),
            "answered_with_citation": bool(cited),
            "started_form": any(action.endswith("_form") for action in actions),
            "correct_and_cited": answer_correct(item, text) and bool(item.relevant_docs & set(cited))}


def run(ctx: EvalContext) -> dict[str, Any]:
    path, split = qa_source(ctx)
    items = [item for item in load_qa(path, split) if item.answerable]
    live, run_id = ctx.live(), uuid.uuid4().hex[:8]
    progress(f"rag_live: {len(items)} knowledge questions through the gateway, one new conversation each")
    rows = [ask(live, item, f"eval-kb-{run_id}-{number}") for number, item in enumerate(items)]
    metrics = {key: share(rows, key)
               for key in ("reached_knowledge", "answered_with_citation", "correct_and_cited", "started_form")}
    routes = Counter(row["intent"] or "?" for row in rows if not row["reached_knowledge"])
    return {"status": "ok", "metrics": metrics, "source": str(path), "split": split, "questions": len(rows),
            "routes": dict(routes.most_common()), "definition": __doc__.split("Definitions", 1)[1].strip(),
            "failures": [row for row in rows if not row["correct_and_cited"]][:20]}
