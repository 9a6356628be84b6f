"""Follow-up rewriting: "这个多久能到？" after "我买的耳机发顺丰吗" becomes a standalone query by
prepending the previous question's key terms."""
from __future__ import annotations

import re

from retrieval.tokenize import JiebaTokenizer

_ANAPHORA = re.compile(r"^(那|那么|这个|那个|它|这|还有|另外|如果)|(这个|那个|它|这样|那样|呢[？?]?$)")
SHORT_QUESTION_CHARS = 8


def is_follow_up(question: str) -> bool:
    """Short questions or ones that point back ("这个", "那…呢") lean on earlier turns."""
    stripped = question.strip()
    return len(stripped) <= SHORT_QUESTION_CHARS or bool(_ANAPHORA.search(stripped))


def rewrite_follow_up(question: str, history: list[str] | None, tokenizer: JiebaTokenizer,
                      max_terms: int = 4) -> str:
    """Prepend up to `max_terms` key words of the latest earlier user turn missing from the question."""
    if not history or not is_follow_up(question):
        return question
    previous = next((turn for turn in reversed(history) if turn.strip() and turn.strip() != question.strip()), "")
    terms: list[str] = []
    for term in tokenizer.words(previous):
        if len(term) > 1 and term not in question and term not in terms:
            terms.append(term)
    return f"{' '.join(terms[:max_terms])} {question}".strip() if terms else question
