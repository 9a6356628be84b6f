from retrieval.rewrite import is_follow_up, rewrite_follow_up
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
