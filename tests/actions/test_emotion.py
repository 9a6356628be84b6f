"""The bot's reaction to emotion: slots, the softening line, the high-priority handoff.

The sentiment in the parse data comes from the real committed model (rasa_plugins/nlu/sentiment_model.py),
as SentimentAnalyzer would put it there.
"""
from typing import Optional

import pytest

from actions.emotion import EMPATHY, STRONG_ANGER, ActionEmotionCheck, ActionEmotionHandoff
from bot.emotion import ANGER_HANDOFF_SCORE
from rasa_plugins.nlu.sentiment_model import SentimentModel
from tests.actions.conftest import make_tracker, run_action, slot_events, texts


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return SentimentModel.load()


def tracker_for(model: SentimentModel, text: str, intent: str, slots: Optional[dict] = None):
    tracker = make_tracker(text, intent=intent, slots=slots)
    tracker.latest_message["sentiment"] = model.predict_one(text).as_dict()
    return tracker


def test_strong_anger_sets_the_alert_and_says_nothing_yet(model, domain) -> None:
    tracker = tracker_for(model, "等了十几天了还不发货，客服也不理人，太过分了，气死我了", "logistics_delay")
    messages, events = run_action(ActionEmotionCheck(), tracker, domain)
    slots = slot_events(events)
    assert slots["sentiment"] == "negative" and slots["emotion"] == "愤怒"
    assert slots["emotion_score"] >= ANGER_HANDOFF_SCORE
    assert slots["emotion_alert"] == STRONG_ANGER
    assert messages == []  # action_emotion_handoff speaks next


def test_a_customer_who_withdraws_a_complaint_is_not_handed_off_for_anger(model, domain) -> None:
    text = "本来想投诉你们的 想想算了 不投诉了 你就帮我看看羽绒服寄到哪了"
    tracker = tracker_for(model, text, "track_logistics")
    tracker.latest_message["sentiment"] = {**tracker.latest_message["sentiment"], "label": "negative",
                                           "emotion": "愤怒", "emotion_score": 1.0}  # as angry as it gets
    _, events = run_action(ActionEmotionCheck(), tracker, domain)
    assert slot_events(events)["emotion_alert"] is None


def test_mild_displeasure_softens_once(model, domain) -> None:
    tracker = tracker_for(model, "衣服有点起球，不太满意", "return_exchange")
    messages, events = run_action(ActionEmotionCheck(), tracker, domain)
    slots = slot_events(events)
    assert slots["sentiment"] == "negative" and slots["emotion_alert"] is None
    assert texts(messages) == EMPATHY[slots["emotion"]]
    again = tracker_for(model, "衣服有点起球，不太满意", "return_exchange", slots={"emotion": slots["emotion"]})
    assert run_action(ActionEmotionCheck(), again, domain)[0] == []  # said once per negative run


def test_a_neutral_question_changes_nothing_in_the_reply(model, domain) -> None:
    messages, events = run_action(ActionEmotionCheck(), tracker_for(model, "请问能开专票吗", "invoice"), domain)
    assert messages == []
    assert slot_events(events) == {"sentiment": "neutral", "emotion": None, "emotion_score": 0.0,
                                   "emotion_alert": None}


def test_without_the_sentiment_component_the_slots_are_left_alone(domain) -> None:
    assert run_action(ActionEmotionCheck(), make_tracker("你好", intent="greet"), domain) == ([], [])


def test_the_emotion_handoff_is_high_priority_with_its_reason(shop, model, domain) -> None:
    tracker = tracker_for(model, "什么垃圾服务，气死我了", "complaint", slots={"emotion_alert": STRONG_ANGER})
    messages, events = run_action(ActionEmotionHandoff(), tracker, domain)
    payload = next(m["custom"]["handoff"] for m in messages if m.get("custom"))
    assert (payload["reason"], payload["priority"]) == ("strong_negative_emotion", "high")
    assert messages[0]["text"].startswith("非常抱歉")
    assert events[0] == {"event": "slot", "timestamp": None, "name": "emotion_alert", "value": None}
    assert events[-1]["event"] == "pause"
