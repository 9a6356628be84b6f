"""Handoffs and satisfaction ratings in the gateway's database: part of `Store`.

Each method is one transaction. A claim is a conditional update (`... WHERE claimed_by IS NULL`)
committed together with the conversation's move to `human`, so two agents clicking at once cannot
both get a conversation, whichever database and however many gateway workers.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.gateway.models import Agent, Conversation, CsatRating, Handoff, utcnow


class HandoffStore:
    """The `handoffs` queue and the `csat_ratings` given after an agent resolved one."""

    if TYPE_CHECKING:
        def session(self) -> AbstractContextManager[Session]: ...

    def enqueue(self, handoff: Handoff) -> None:
        """Commit a new handoff and move its conversation to `queued`, together."""
        with self.session() as session:
            session.add(handoff)
            session.execute(update(Conversation).where(Conversation.id == handoff.conversation_id)
                            .values(mode="queued", assigned_agent_id=None, awaiting_csat=False))

    def open_handoff(self, conversation_id: str) -> Handoff | None:
        with self.session() as session:
            return session.scalars(select(Handoff).where(
                Handoff.conversation_id == conversation_id, Handoff.resolved_at.is_(None),
            ).order_by(Handoff.id.desc())).first()

    def last_resolved_handoff(self, conversation_id: str) -> Handoff | None:
        with self.session() as session:
            return session.scalars(select(Handoff).where(
                Handoff.conversation_id == conversation_id, Handoff.resolved_at.is_not(None),
            ).order_by(Handoff.resolved_at.desc())).first()

    def waiting_handoffs(self, group: str | None = None) -> list[tuple[Handoff, Conversation]]:
        """Unclaimed, unresolved handoffs of queued conversations (of one agent group if given), unordered."""
        with self.session() as session:
            statement = (select(Handoff, Conversation).join(Conversation, Conversation.id == Handoff.conversation_id)
                         .where(Handoff.resolved_at.is_(None), Handoff.claimed_by.is_(None),
                                Conversation.mode == "queued"))
            if group is not None:
                statement = statement.where(Handoff.agent_group == group)
            return [(handoff, conversation) for handoff, conversation in session.execute(statement)]

    def workload(self, recent: int) -> tuple[list[tuple[datetime, datetime]], list[Agent]]:
        """(claimed_at, resolved_at) of the `recent` last resolved handoffs, and the online agents."""
        with self.session() as session:
            handled = session.execute(select(Handoff.claimed_at, Handoff.resolved_at).where(
                Handoff.resolved_at.is_not(None), Handoff.claimed_at.is_not(None),
            ).order_by(Handoff.resolved_at.desc()).limit(recent)).all()
            online = list(session.scalars(select(Agent).where(Agent.presence == "online")))
        return [(start, done) for start, done in handled], online

    def active_handoff_count(self, agent_id: int) -> int:
        """Handoffs this agent has claimed and not resolved yet."""
        with self.session() as session:
            return session.scalar(select(func.count(Handoff.id)).where(
                Handoff.claimed_by == agent_id, Handoff.resolved_at.is_(None))) or 0

    def claim_handoff(self, handoff_id: int, conversation_id: str, agent_id: int, claimed_at: datetime) -> bool:
        """Give the handoff to the agent if nobody has it yet, and its conversation to `human`; True if won."""
        with self.session() as session:
            claimed = session.execute(update(Handoff).where(Handoff.id == handoff_id, Handoff.claimed_by.is_(None))
                                      .values(claimed_by=agent_id, claimed_at=claimed_at)).rowcount == 1
            if claimed:
                session.execute(update(Conversation).where(Conversation.id == conversation_id)
                                .values(mode="human", assigned_agent_id=agent_id))
        return claimed

    def take_over(self, handoff: Handoff) -> bool:
        """Move a `bot` conversation to `human` for the handoff's claimer and commit the (claimed)
        handoff with it; False, storing nothing, when the conversation is not with the bot."""
        with self.session() as session:
            moved = session.execute(update(Conversation).where(
                Conversation.id == handoff.conversation_id, Conversation.mode == "bot",
            ).values(mode="human", assigned_agent_id=handoff.claimed_by)).rowcount == 1
            if not moved:
                return False
            session.add(handoff)
        return True

    def transfer_handoff(self, handoff_id: int, conversation_id: str, group: str) -> None:
        """Requeue the handoff, unclaimed, for another group (its queued_at, hence its wait, is kept)."""
        with self.session() as session:
            session.execute(update(Handoff).where(Handoff.id == handoff_id)
                            .values(agent_group=group, claimed_by=None, claimed_at=None))
            session.execute(update(Conversation).where(Conversation.id == conversation_id)
                            .values(mode="queued", assigned_agent_id=None))

    def close_open_handoffs(self, conversation_id: str) -> None:
        """Mark the conversation's unresolved handoffs resolved (no agent's resolution)."""
        with self.session() as session:
            session.execute(update(Handoff).where(Handoff.conversation_id == conversation_id,
                                                  Handoff.resolved_at.is_(None)).values(resolved_at=utcnow()))

    def resolve_handoff(self, handoff_id: int, conversation_id: str) -> None:
        """Resolve the handoff and give the conversation back to the bot, awaiting a rating."""
        with self.session() as session:
            session.execute(update(Handoff).where(Handoff.id == handoff_id).values(resolved_at=utcnow()))
            session.execute(update(Conversation).where(Conversation.id == conversation_id)
                            .values(mode="bot", assigned_agent_id=None, awaiting_csat=True))

    # ratings -------------------------------------------------------------------------------
    def add_rating(self, conversation_id: str, score: int, handoff_id: int | None, agent_id: int | None) -> None:
        with self.session() as session:
            session.add(CsatRating(conversation_id=conversation_id, score=score, handoff_id=handoff_id,
                                   agent_id=agent_id))

    def ratings(self, limit: int) -> list[CsatRating]:
        """The `limit` most recent ratings, newest first."""
        with self.session() as session:
            return list(session.scalars(select(CsatRating).order_by(CsatRating.id.desc()).limit(limit)))
