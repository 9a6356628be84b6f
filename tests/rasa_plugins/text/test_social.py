"""rasa_plugins.text.social: purely social messages and their class; anything with content is not social.
The messages were written for this test; none comes from nlu_data/ or an evaluation set."""
import pytest

from rasa_plugins.text.social import social_class


@pytest.mark.parametrize("text, expected", [
    ("客服辛苦啦 新年快乐🧧", "thanks"),
    ("嗯嗯 收到 谢谢亲", "thanks"),
    ("好的 那麻烦你了", "thanks"),
    ("好 拜拜～", "goodbye"),
    ("好吧 那就算了 知道了", "stop"),
    ("在吗？？", "greet"),
    ("哦哦 明白了", "acknowledge"),
    ("OK thanks!", "thanks"),
    ("謝謝 辛苦了", "thanks"),  # traditional characters are normalised first
])
def test_social_messages_get_their_class(text, expected) -> None:
    assert social_class(text) == expected


@pytest.mark.parametrize("text", ["谢谢 那退款呢", "好的 订单号2026110003", "😀😀😀", "", "可以退吗", "你好 我要投诉",
                                  "this is ok", "算了 问你个事 退款多久到"])
def test_a_message_with_content_or_without_a_social_phrase_is_not_social(text) -> None:
    assert social_class(text) is None
