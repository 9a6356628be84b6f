"""React to the customer's emotion (service playbook §6, HEAT for angry customers).

`action_emotion_check` is the custom slot-mapping action of the slots `sentiment`, `emotion`,
`emotion_score` and `emotion_alert`, so Rasa's action_extract_slots runs it after every user
message, before the next action is chosen, whatever the intent. It reads the sentiment that
rasa_plugins.nlu.sentiment.SentimentAnalyzer put into the parse data and:
- strong anger (愤怒 with score >= bot.emotion.ANGER_HANDOFF_SCORE), unless the message withdraws a
  complaint or threat ("不投诉了"): sets `emotion_alert: strong_anger`; the rule
  in stories/emotion.yml then runs `action_emotion_handoff` instead of the intent's usual reply;
- milder displeasure (不满, 失望, or weaker 愤怒): says one empathetic line first (only on the first
  negative turn of a run, so the bot does not repeat itself); the usual reply follows unchanged.
Slot-mapping actions may only set slots and utter messages, which is all this one does.
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import handoff_events
from bot.emotion import EMPATHY, is_strong_anger, is_upset
from bot.handoff import GATEWAY_RISK_WORDS
from bot.risk.words import withdrawn_risk_words

STRONG_ANGER = "strong_anger"
NO_SOFTENING_INTENTS = {"request_human"}  # the handoff already apologises and transfers
CALMING_BEFORE_TRANSFER = "非常抱歉给您带来这么不好的体验，您的心情我完全理解。我马上请专人为您处理。"


def read_sentiment(tracker: Tracker) -> Optional[Dict[str, Any]]:
    sentiment = (tracker.latest_message or {}).get("sentiment")
    return sentiment if isinstance(sentiment, dict) and sentiment.get("label") else None


def empathy_line(sentiment: Dict[str, Any], tracker: Tracker) -> Optional[str]:
    """The softening line for a negative turn, or None (not negative, unsure, or already said)."""
    if not is_upset(sentiment):
        return None
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if intent in NO_SOFTENING_INTENTS or tracker.get_slot("emotion"):
        return None  # a previous turn was already negative: we said it then
    return EMPATHY.get(sentiment.get("emotion") or "不满")


class ActionEmotionCheck(Action):
    def name(self) -> Text:
        return "action_emotion_check"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        sentiment = read_sentiment(tracker)
        if sentiment is None:  # no SentimentAnalyzer in the pipeline: leave the slots alone
            return []
        # "本来想投诉你们的 想想算了 不投诉了 你就帮我看看…": angry words, but the customer steps back
        strong = is_strong_anger(sentiment) and not withdrawn_risk_words(
            (tracker.latest_message or {}).get("text") or "", GATEWAY_RISK_WORDS)
        if not strong:
            line = empathy_line(sentiment, tracker)
            if line:
                dispatcher.utter_message(text=line)
        return [SlotSet("sentiment", sentiment["label"]),
                SlotSet("emotion", sentiment.get("emotion")),
                SlotSet("emotion_score", float(sentiment.get("emotion_score") or 0.0)),
                SlotSet("emotion_alert", STRONG_ANGER if strong else None)]


class ActionEmotionHandoff(Action):
    """Red alert: calm first (HEAT), then transfer at high priority with the reason stated."""

    def name(self) -> Text:
        return "action_emotion_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=CALMING_BEFORE_TRANSFER)
        events = handoff_events(dispatcher, tracker, reason="strong_negative_emotion", priority="high")
        return [SlotSet("emotion_alert", None)] + events
