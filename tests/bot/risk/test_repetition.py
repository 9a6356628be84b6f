"""The same question asked again (bot/risk/repetition.py)."""
from bot.risk.repetition import times_asked


def test_the_same_question_a_third_time_counts_three_times() -> None:
    earlier = ["我的退款怎么还没到账啊", "好的", "我的退款怎么还没到帐"]
    assert times_asked("我的退款怎么还没到账？？", earlier) == 3
    assert times_asked("好的", ["好的", "好的"]) == 1, "short acknowledgements never count"
    assert times_asked("发票怎么开", earlier) == 1
