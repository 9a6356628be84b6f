"""The same question asked again (bot/risk/repetition.py)."""
from bot.risk.repetition import times_asked


def test_the_same_question_a_third_time_counts_three_times() -> None:
    earlier = ["我的退款怎么还没到账啊", "好的", "我的退款怎么还没到帐"]
    assert times_asked("我的退款怎么还没到账？？", earlier) == 3
    assert times_asked("好的", ["好的", "好的"]) == 1, "short acknowledgements never count"
    assert times_asked("发票怎么开", earlier) == 1


def test_a_customer_who_says_this_is_a_repeated_contact_is_heard() -> None:
    from bot.risk.repetition import says_contacted_again

    for text in ("这已经是第三次了", "问了好几遍了还是没人管", "一直踢皮球没人管", "第 4 次找你们了"):
        assert says_contacted_again(text), text
    for text in ("我第一次买", "买第三件打折吗", "我买了三次了都很好", ""):
        assert not says_contacted_again(text), text
