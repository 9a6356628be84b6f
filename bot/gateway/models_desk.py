"""The agent desk's tables: what the live watch read in each customer message, quick replies and
their use, and the offers of push assignment. Part of the gateway's schema (models.Base)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.gateway.models import Base, utcnow


class MessageSignal(Base):
    """Emotion and risk of one customer message read during human service (bot/gateway/live_watch.py)."""
    __tablename__ = "message_signals"

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    level: Mapped[int]  # 1 calm, 2 upset (a calming line is suggested), 3 red (the supervisor is alerted)
    polarity: Mapped[str] = mapped_column(String(16), default="neutral")
    emotion: Mapped[str | None] = mapped_column(String(16), default=None)
    emotion_score: Mapped[float] = mapped_column(default=0.0)
    risk_class: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuickReply(Base):
    """A snippet (话术): shared when `owner_agent_id` is None, else one agent's own."""
    __tablename__ = "quick_replies"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    owner_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), default=None, index=True)
    shortcut: Mapped[str] = mapped_column(String(32))  # typed after "/" in the reply box, e.g. 退款
    title: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)  # may hold {客户} {订单号} {客服}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(default=None)  # deleted: hidden, its uses still counted


class QuickReplyUse(Base):
    """One quick reply sent by one agent in one conversation: the usage statistics."""
    __tablename__ = "quick_reply_uses"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("quick_replies.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Offer(Base):
    """A waiting conversation offered to one agent (push assignment, bot/gateway/assignment.py)."""
    __tablename__ = "offers"
    __table_args__ = (Index("ix_offers_open", "answer", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(String(16), default=None)  # accepted | declined | expired | withdrawn
    answered_at: Mapped[datetime | None] = mapped_column(default=None)


class Whisper(Base):
    """A supervisor's note to the agent serving a conversation; the customer never sees it."""
    __tablename__ = "whispers"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    from_agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    to_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), default=None)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
