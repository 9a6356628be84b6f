"""The agent desk's storage: message signals, quick replies and their use, offers, whispers, and a
supervisor taking an agent's conversation. Part of `Store`; every call is one transaction."""
from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.gateway.models import Conversation, Handoff, Message, utcnow
from bot.gateway.models_desk import MessageSignal, Offer, QuickReply, QuickReplyUse, Whisper


class DeskStore:
    if TYPE_CHECKING:
        def session(self) -> AbstractContextManager[Session]: ...

    # signals -------------------------------------------------------------------------------
    def add_signal(self, signal: MessageSignal) -> None:
        with self.session() as session:
            session.merge(signal)

    def signals(self, conversation_id: str) -> dict[int, MessageSignal]:
        with self.session() as session:
            return {s.message_id: s for s in session.scalars(
                select(MessageSignal).where(MessageSignal.conversation_id == conversation_id))}

    def latest_signals(self, conversation_ids: list[str]) -> dict[str, MessageSignal]:
        """Each conversation's most recent signal."""
        if not conversation_ids:
            return {}
        with self.session() as session:
            rows = session.scalars(select(MessageSignal).where(MessageSignal.conversation_id.in_(conversation_ids))
                                   .order_by(MessageSignal.message_id))
            return {row.conversation_id: row for row in rows}

    def last_messages(self, conversation_ids: list[str]) -> dict[str, Message]:
        """Each conversation's last message."""
        if not conversation_ids:
            return {}
        with self.session() as session:
            last = (select(func.max(Message.id)).where(Message.conversation_id.in_(conversation_ids))
                    .group_by(Message.conversation_id))
            return {m.conversation_id: m for m in session.scalars(select(Message).where(Message.id.in_(last)))}

    # quick replies ---------------------------------------------------------------------------
    def quick_replies_for(self, agent_id: int) -> list[QuickReply]:
        """The shared ones and this agent's own, by shortcut."""
        with self.session() as session:
            return list(session.scalars(select(QuickReply).where(
                or_(QuickReply.owner_agent_id.is_(None), QuickReply.owner_agent_id == agent_id),
                QuickReply.retired_at.is_(None))
                .order_by(QuickReply.shortcut, QuickReply.id)))

    def quick_reply(self, reply_id: int) -> QuickReply | None:
        with self.session() as session:
            return session.get(QuickReply, reply_id)

    def add_quick_reply(self, reply: QuickReply) -> QuickReply:
        with self.session() as session:
            session.add(reply)
        return reply

    def shared_quick_reply_count(self) -> int:
        with self.session() as session:
            return session.scalar(select(func.count(QuickReply.id)).where(QuickReply.owner_agent_id.is_(None))) or 0

    def retire_quick_reply(self, reply_id: int) -> None:
        """Hide a quick reply; its uses stay in the statistics."""
        with self.session() as session:
            session.execute(update(QuickReply).where(QuickReply.id == reply_id).values(retired_at=utcnow()))

    def record_quick_reply_use(self, reply_id: int, agent_id: int, conversation_id: str) -> None:
        with self.session() as session:
            session.add(QuickReplyUse(reply_id=reply_id, agent_id=agent_id, conversation_id=conversation_id))

    def quick_reply_usage(self) -> list[tuple[int, int, int]]:
        """(reply id, agent id, times used)."""
        with self.session() as session:
            return [(r, a, n) for r, a, n in session.execute(
                select(QuickReplyUse.reply_id, QuickReplyUse.agent_id, func.count())
                .group_by(QuickReplyUse.reply_id, QuickReplyUse.agent_id))]

    # offers ------------------------------------------------------------------------------------
    def add_offer(self, offer: Offer) -> Offer:
        with self.session() as session:
            session.add(offer)
        return offer

    def offer(self, offer_id: int) -> Offer | None:
        with self.session() as session:
            return session.get(Offer, offer_id)

    def open_offers(self) -> list[Offer]:
        with self.session() as session:
            return list(session.scalars(select(Offer).where(Offer.answer.is_(None)).order_by(Offer.id)))

    def offers_of_handoff(self, handoff_id: int) -> list[Offer]:
        with self.session() as session:
            return list(session.scalars(select(Offer).where(Offer.handoff_id == handoff_id).order_by(Offer.id)))

    def answer_offer(self, offer_id: int, answer: str) -> bool:
        """Close an open offer with `answer`; False when it was already answered (a race lost)."""
        with self.session() as session:
            return session.execute(update(Offer).where(Offer.id == offer_id, Offer.answer.is_(None))
                                   .values(answer=answer, answered_at=utcnow())).rowcount == 1

    # whispers and taking over --------------------------------------------------------------------
    def add_whisper(self, whisper: Whisper) -> Whisper:
        with self.session() as session:
            session.add(whisper)
        return whisper

    def whispers(self, conversation_id: str) -> list[Whisper]:
        with self.session() as session:
            return list(session.scalars(select(Whisper).where(Whisper.conversation_id == conversation_id)
                                        .order_by(Whisper.id)))

    def reassign_handoff(self, handoff_id: int, conversation_id: str, from_agent: int | None, to_agent: int,
                         at: datetime) -> bool:
        """Give a claimed handoff (and its human conversation) to another agent; False if it changed meanwhile."""
        with self.session() as session:
            moved = session.execute(update(Handoff).where(
                Handoff.id == handoff_id, Handoff.resolved_at.is_(None), Handoff.claimed_by == from_agent)
                .values(claimed_by=to_agent, claimed_at=at)).rowcount == 1
            if moved:
                session.execute(update(Conversation).where(Conversation.id == conversation_id)
                                .values(mode="human", assigned_agent_id=to_agent))
        return moved

    def last_claims(self) -> dict[int, datetime]:
        """When each agent last took a conversation."""
        with self.session() as session:
            return {agent: at for agent, at in session.execute(
                select(Handoff.claimed_by, func.max(Handoff.claimed_at)).where(Handoff.claimed_by.is_not(None))
                .group_by(Handoff.claimed_by)) if at is not None}

    def open_handoffs(self, conversation_ids: list[str]) -> list[Handoff]:
        """The unresolved handoffs of these conversations."""
        if not conversation_ids:
            return []
        with self.session() as session:
            return list(session.scalars(select(Handoff).where(Handoff.conversation_id.in_(conversation_ids),
                                                              Handoff.resolved_at.is_(None))))
