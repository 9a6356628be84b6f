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


# --- term coverage: near-domain questions the knowledge base does not answer -----------------

import pytest  # noqa: E402

from retrieval.abstain import passages_text, term_coverage  # noqa: E402
from retrieval.tokenize import JiebaTokenizer  # noqa: E402

CUSTOM_GOODS = Chunk("return-excluded-items", "return-excluded-items", "v", "faq/returns.yaml", "哪些商品不能无理由退货？",
                     "内衣、食品、定制商品和礼品卡不支持七天无理由退货；如有质量问题，仍可在15天内申请退换。",
                     ["哪些商品不能无理由退货？", "定制的东西能退吗", "内衣可以退吗"], kind="faq")


@pytest.fixture(scope="module")
def words():
    return JiebaTokenizer().words


def _near(dense: float) -> Hit:
    return Hit(CUSTOM_GOODS, score=1.0, dense_score=dense, bm25_score=3.0)


def test_salient_missing_word_weighs_more_than_a_common_one():
    passage = "定制商品不支持七天无理由退货"
    assert term_coverage(["定制", "商品"], passage) == 1.0
    assert term_coverage([], passage) == 1.0
    # same count of covered words (1 of 2), but the missing word is rare in general Chinese
    assert term_coverage(["商品", "保温杯"], passage) < 0.5 < term_coverage(["保温杯", "商品", "退货", "定制"], passage)


def test_near_domain_hit_abstains_and_in_domain_hit_answers(words):
    policy = AbstainPolicy(min_dense_score=0.89, require_lexical_match=True, lexical_bypass_dense_score=0.90,
                           min_term_coverage=0.35, coverage_bypass_dense_score=0.91)
    near = policy.decide([_near(0.90)], words("买的保温杯可以帮忙刻上名字吗"))
    assert (near.abstain, near.reason) == (True, "low_term_coverage")
    assert policy.decide([_near(0.90)], words("定制的商品能无理由退货吗")).abstain is False
    # very close hits, callers without question words and a disabled check keep answering
    assert policy.decide([_near(0.95)], words("买的保温杯可以帮忙刻上名字吗")).abstain is False
    assert policy.decide([_near(0.90)]).abstain is False
    policy.min_term_coverage = 0.0
    assert policy.decide([_near(0.90)], words("买的保温杯可以帮忙刻上名字吗")).abstain is False


def test_coverage_counts_every_retrieved_passage():
    other = Chunk("c2", "c2", "v", "s", "t", "金卡会员默认顺丰速运发货", ["金卡会员用什么快递"])
    hits = [_near(0.9), Hit(other, 0.5, 0.88, 1.0)]
    assert "顺丰" in passages_text(hits) and "定制" in passages_text(hits)
    assert term_coverage(["定制", "顺丰"], passages_text(hits)) == 1.0


def test_service_abstains_on_near_domain_calibration_questions(demo_service):
    for question in ("买的保温杯可以帮忙刻上名字吗", "你们公司最近在招客服吗？简历投到哪里"):
        answer = demo_service.answer(question)
        assert answer.abstained and answer.offer_human and answer.citations == [], question
    answer = demo_service.answer("退款审核通过以后几天能到账")
    assert not answer.abstained and answer.citations


def test_a_follow_up_on_the_last_answers_item_may_be_a_little_less_close():
    policy = AbstainPolicy(min_dense_score=0.89, follow_up_margin=0.02)
    near = _hit(0.875, 3.0)
    assert policy.continues_topic([near], ["c"]) is True
    assert policy.continues_topic([near], ["another-item"]) is False, "only the item the last answer cited"
    assert policy.continues_topic([near], None) is False
    assert policy.continues_topic([_hit(0.86, 3.0)], ["c"]) is False, "beyond the margin it abstains"
    assert AbstainPolicy(follow_up_margin=0.0).continues_topic([near], ["c"]) is False
