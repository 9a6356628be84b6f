from retrieval.documents import Chunk, Hit
from retrieval.rewrite import is_follow_up, prefer_new_focus, rewrite_follow_up
from retrieval.tokenize import JiebaTokenizer


def test_detects_follow_ups():
    assert is_follow_up("这个多久能到？") and is_follow_up("那金卡呢？") and is_follow_up("运费呢")
    assert not is_follow_up("七天无理由退货的运费由谁承担")


def test_prepends_key_terms_of_previous_question():
    tokenizer = JiebaTokenizer()
    rewritten = rewrite_follow_up("这个多久能到？", ["我买的耳机用顺丰快递吗"], tokenizer)
    assert rewritten == "耳机 顺丰 快递 这个多久能到？"


def test_standalone_question_or_no_history_is_unchanged():
    tokenizer = JiebaTokenizer()
    assert rewrite_follow_up("电子发票在哪里下载", ["退货运费谁出"], tokenizer) == "电子发票在哪里下载"
    assert rewrite_follow_up("这个多久能到？", None, tokenizer) == "这个多久能到？"


def test_a_follow_up_that_turns_to_this_shop_leaves_the_other_platform_behind():
    tokenizer = JiebaTokenizer()
    rewritten = rewrite_follow_up("那你们家的呢", ["京东自营的退货规则是怎样的？"], tokenizer)
    assert "退货" in rewritten and "京东" not in rewritten and "自营" not in rewritten, rewritten
    kept = rewrite_follow_up("那拼多多的呢", ["京东自营的退货规则是怎样的？"], tokenizer)
    assert "京东" in kept, "a follow-up that does not turn to this shop keeps the context"


def test_a_question_that_compares_with_the_last_answer_is_a_follow_up() -> None:
    for question in ("哦对了 我当时是用银行卡付的 也一样吗", "我买的是羽绒服 也是这样吗", "这样的话还要等几天才能到账",
                     "你刚才说的那个运费险怎么用"):
        assert is_follow_up(question), question
    for question in ("我想问一下电子发票怎么开具", "新疆的订单一般要几天才能送到"):
        assert not is_follow_up(question), question


def test_a_follow_up_with_enough_words_of_its_own_is_not_rewritten() -> None:
    tokenizer = JiebaTokenizer()
    question = "那要是寄来的东西本身就是坏的呢 多少天内能退"
    assert rewrite_follow_up(question, ["我下单的时候买了运费险的 能报多少"], tokenizer) == question
    assert rewrite_follow_up("会过期吗", ["积分咋用啊"], tokenizer) != "会过期吗"


def _hit(doc_id: str, answer: str) -> Hit:
    chunk = Chunk(chunk_id=doc_id, doc_id=doc_id, version="1", source="faq", title="", text=answer,
                  views=[answer], kind="faq", answer=answer)
    return Hit(chunk=chunk, score=1.0)


def test_a_follow_up_that_asks_something_new_is_not_given_the_last_answer_again() -> None:
    use, expire = _hit("points-use", "100积分抵扣1元。"), _hit("points-expire", "积分在获得后的下一年年底过期。")
    assert prefer_new_focus([use, expire], ["过期"], ["points-use"])[0] is expire
    dispatch = _hit("dispatch", "16:00前付款当天发货；之后48小时内发货。")
    other = _hit("delivery", "发货后1–3天送达。")
    assert prefer_new_focus([dispatch, other], ["晚上", "八点"], ["dispatch"])[0] is dispatch, \
        "no other item says what is new: the cited item still answers the variant"
    assert prefer_new_focus([use, expire], ["过期"], None)[0] is use, "no earlier answer, nothing to avoid"
    assert prefer_new_focus([expire, use], ["抵扣"], ["points-use"])[0] is expire, "only the cited item moves"
