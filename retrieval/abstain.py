"""When to say "no answer": the best chunk must be semantically close enough, and (unless it is
very close) share at least one word with the question. The thresholds come from
`python -m eval.calibrate_retrieval abstain`."""
from __future__ import annotations

from dataclasses import dataclass

from retrieval.documents import Hit


@dataclass
class AbstainDecision:
    abstain: bool
    reason: str  # "" when answering


@dataclass
class AbstainPolicy:
    min_dense_score: float = 0.84
    require_lexical_match: bool = True
    lexical_bypass_dense_score: float = 0.90

    def decide(self, hits: list[Hit]) -> AbstainDecision:
        if not hits:
            return AbstainDecision(True, "no_match")
        top = hits[0]
        if top.dense_score < self.min_dense_score:
            return AbstainDecision(True, "low_relevance")
        if self.require_lexical_match and top.bm25_score <= 0 and top.dense_score < self.lexical_bypass_dense_score:
            return AbstainDecision(True, "no_keyword_overlap")
        return AbstainDecision(False, "")
