"""The gateway's tables: conversations, their messages and handoffs, agents, ratings, notes, tickets, audit."""
from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.clock import naive_utc_now
from bot.handoff import DEFAULT_PROBLEM_CLASS
from bot.tickets import OPEN


def utcnow() -> datetime:
    """Naive UTC: SQLite has no time zones, and both databases must compare the same way. It reads
    the service's clock (bot/clock.py), so a stack started with KEFU_CLOCK stamps everything alike."""
    return naive_utc_now()


def new_conversation_id() -> str:
    return uuid.uuid4().hex


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Base(DeclarativeBase):
    pass


MODES = ("bot", "queued", "human", "closed")
ROLES = ("customer", "bot", "agent", "system")
AGENT_ROLES = ("agent", "supervisor", "admin")
PRESENCE = ("online", "away", "offline")


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_sender_mode", "sender", "mode"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_conversation_id)
    sender: Mapped[str] = mapped_column(String(128))
    # the account an identity token proved (bot/gateway/identity.py); None for a guest
    account_id: Mapped[str | None] = mapped_column(String(128), default=None, index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    mode: Mapped[str] = mapped_column(String(16), default="bot")
    previous_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"), default=None)
    assigned_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), default=None)
    awaiting_csat: Mapped[bool] = mapped_column(default=False)
    # a closed ticket's follow-up question (回访) was put to this conversation; its answer is taken next
    followup_ticket_id: Mapped[int | None] = mapped_column(default=None)
    reminded: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def bot_sender(self) -> str:
        """The id the bot (Rasa, the action server) knows this customer by: the proven account, or
        a guest id of this conversation alone, so that a client-chosen sender never names an account
        and a guest never inherits an earlier guest's bot memory (a verified order, say)."""
        return self.account_id or f"guest-{self.id}"  # identity.GUEST_PREFIX: no account may start with it


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "client_message_id", name="uq_message_client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text, default=None)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    client_message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Handoff(Base):
    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_open", "resolved_at", "claimed_by"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(32))  # bot | risk | takeover (risk_word before issue 26)
    reason: Mapped[str] = mapped_column(String(64))
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    problem_class: Mapped[str] = mapped_column(String(32), default=DEFAULT_PROBLEM_CLASS)
    agent_group: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="agent")
    groups: Mapped[str] = mapped_column(String(256), default="")  # comma-separated skills / groups
    max_concurrency: Mapped[int] = mapped_column(default=3)
    presence: Mapped[str] = mapped_column(String(16), default="offline")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def group_list(self) -> list[str]:
        return [group for group in self.groups.split(",") if group]


class AgentSession(Base):
    __tablename__ = "agent_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    expires_at: Mapped[datetime]


class CsatRating(Base):
    __tablename__ = "csat_ratings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    handoff_id: Mapped[int | None] = mapped_column(ForeignKey("handoffs.id"), default=None)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), default=None)
    score: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Ticket(Base):
    """Something promised to a customer, with an owner and a deadline (bot/gateway/tickets.py)."""
    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"), default=None, index=True)
    account_id: Mapped[str | None] = mapped_column(String(128), default=None, index=True)
    customer: Mapped[str] = mapped_column(String(128))  # the account, or the guest's conversation sender
    source: Mapped[str] = mapped_column(String(32))  # bot | handoff | message | agent
    reference: Mapped[str] = mapped_column(String(32), default="")
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
    problem_class: Mapped[str] = mapped_column(String(32), default=DEFAULT_PROBLEM_CLASS)
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    agent_group: Mapped[str] = mapped_column(String(64))
    owner_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), default=None)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    due_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    reopened: Mapped[int] = mapped_column(default=0)
    followup_due_at: Mapped[datetime | None] = mapped_column(default=None)
    followup_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    followup_solved: Mapped[bool | None] = mapped_column(default=None)
    followup_score: Mapped[int | None] = mapped_column(default=None)

    @property
    def number(self) -> str:
        return f"T{self.id:06d}"


class TicketEvent(Base):
    """One change of a ticket: created, assigned, a status, a comment, a linked conversation."""
    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")


class TicketLink(Base):
    """Further conversations about a ticket (its first one is `Ticket.conversation_id`)."""
    __tablename__ = "ticket_links"
    __table_args__ = (UniqueConstraint("ticket_id", "conversation_id", name="uq_ticket_link"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))


class CustomerProfile(Base):
    """What agents add about a verified customer (an account): tags such as VIP跟进 and a note."""
    __tablename__ = "customer_profiles"

    account_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    tags: Mapped[str] = mapped_column(String(512), default="")  # comma-separated
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    conversation_id: Mapped[str | None] = mapped_column(String(32), default=None)
    detail: Mapped[str] = mapped_column(Text, default="")
