from retrieval.abstain import AbstainPolicy
from retrieval.documents import Chunk, Hit


def _hit(dense: float, bm25: float) -> Hit:
    chunk = Chunk("c", "c", "v", "s", "t", "text", ["text"])
    return Hit(chunk, score=1.0, dense_score=dense, bm25_score=bm25)


def test_decisions_follow_thresholds():
    policy = AbstainPolicy(min_dense_score=0.8, require_lexical_match=True, lexical_bypass_dense_score=0.9)
    assert policy.decide([]).reason == "no_match"
    assert policy.decide([_hit(0.79, 5.0)]).reason == "low_relevance"
    assert policy.decide([_hit(0.85, 0.0)]).reason == "no_keyword_overlap"
    assert policy.decide([_hit(0.92, 0.0)]).abstain is False
    assert policy.decide([_hit(0.85, 1.0)]).abstain is False
