"""Emotion and risk stay watched when a person serves (情感分析与智能预警), and the agent gets help.

Every customer message in `queued` and `human` mode is read by the same models as the bot's: the
sentiment model (rasa_plugins/nlu/sentiment_model.py) and the gateway's risk check (bot/risk/). Its
level (bot/emotion.py: 1 calm, 2 upset, 3 red) is stored with the message and pushed to the agent
with, at level 2 or above, a calming line to use; level 3 also alerts every supervisor online. The
knowledge items nearest the message go to the agent as suggested answers (suggestions.py).
Nothing here may cost the customer anything: any failure is logged and the message stands.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from bot.emotion import RED, UPSET, calming_line, emotion_level
from bot.gateway.hub import Hub
from bot.gateway.models import Conversation, Message
from bot.gateway.models_desk import MessageSignal
from bot.gateway.store import Store
from bot.gateway.suggestions import Suggester
from bot.risk.detector import RiskDetector
from rasa_plugins.nlu.sentiment_model import SentimentModel

logger = logging.getLogger("kefu.gateway.live_watch")
WATCHED_MODES = ("queued", "human")


def signal_dict(signal: MessageSignal) -> dict[str, Any]:
    return {"message_id": signal.message_id, "conversation": signal.conversation_id, "level": signal.level,
            "polarity": signal.polarity, "emotion": signal.emotion, "emotion_score": round(signal.emotion_score, 3),
            "risk": signal.risk_class,
            "calming": calming_line({"emotion": signal.emotion}) if signal.level >= UPSET else None}


class LiveWatch:
    def __init__(self, store: Store, hub: Hub, risk: RiskDetector, suggester: Suggester) -> None:
        self.store, self.hub, self.risk, self.suggester = store, hub, risk, suggester
        self._sentiment: SentimentModel | None = None
        self._lock = threading.Lock()

    def sentiment_model(self) -> SentimentModel:
        with self._lock:
            if self._sentiment is None:
                self._sentiment = SentimentModel.load()
            return self._sentiment

    def read(self, message: Message) -> MessageSignal:
        """The signal of one customer message (blocking: both models run here)."""
        text = message.text or ""
        sentiment = self.sentiment_model().predict_one(text).as_dict() if text.strip() else {"label": "neutral"}
        finding = self.risk.assess(text)
        return MessageSignal(message_id=message.id, conversation_id=message.conversation_id,
                             level=emotion_level(sentiment, risky=finding is not None),
                             polarity=sentiment.get("label") or "neutral", emotion=sentiment.get("emotion"),
                             emotion_score=float(sentiment.get("emotion_score") or 0.0),
                             risk_class=finding.risk_class if finding else None)

    async def observe(self, conversation: Conversation, message: Message) -> MessageSignal | None:
        """Read, store and push one customer message of a conversation with (or waiting for) a person."""
        if conversation.mode not in WATCHED_MODES:
            return None
        try:
            signal, suggestions = await asyncio.to_thread(self._read_and_suggest, message)
        except Exception:  # noqa: BLE001 - a broken model must not touch the customer's message
            logger.exception("the live watch failed on a message of %s", conversation.id)
            return None
        self.store.add_signal(signal)
        agent = conversation.assigned_agent_id
        await self.hub.to_consoles({"type": "signal", "conversation": conversation.id, "signal": signal_dict(signal)},
                                   assigned_agent_id=agent)
        await self.hub.to_consoles({"type": "suggestions", "conversation": conversation.id, "message_id": message.id,
                                    "items": suggestions}, assigned_agent_id=agent)
        if signal.level >= RED:
            self.store.audit("system", "red_alert", conversation.id, signal.risk_class or f"emotion:{signal.emotion}")
            await self.hub.to_supervisors({"type": "alert", "conversation": conversation.id, "level": signal.level,
                                           "risk": signal.risk_class, "emotion": signal.emotion,
                                           "agent": agent, "message": {"id": message.id, "text": message.text}})
        return signal

    def _read_and_suggest(self, message: Message) -> tuple[MessageSignal, list[dict[str, Any]]]:
        signal = self.read(message)
        try:
            suggestions = [item.as_dict() for item in self.suggester.suggest(message.text or "")]
        except Exception:  # noqa: BLE001 - signals without suggestions are still worth pushing
            logger.exception("suggestions failed for a message of %s", message.conversation_id)
            suggestions = []
        return signal, suggestions
