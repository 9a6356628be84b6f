"""What agents keep about verified customers, and a customer's earlier conversations: part of `Store`."""
from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.gateway.models import Conversation, CsatRating, CustomerProfile, utcnow


class CustomerStore:
    """The `customer_profiles` table (tags, note per account) and per-account look-ups."""

    if TYPE_CHECKING:
        def session(self) -> AbstractContextManager[Session]: ...

    def customer_profile(self, account: str) -> CustomerProfile | None:
        with self.session() as session:
            return session.get(CustomerProfile, account)

    def save_customer_profile(self, account: str, **values: Any) -> None:
        with self.session() as session:
            saved = session.get(CustomerProfile, account)
            if saved is None:
                session.add(CustomerProfile(account_id=account, **values))
                return
            for key, value in values.items():
                setattr(saved, key, value)
            saved.updated_at = utcnow()

    def earlier_conversations(self, account: str, excluding: str, limit: int) -> list[Conversation]:
        """The account's other conversations, newest first."""
        with self.session() as session:
            return list(session.scalars(select(Conversation).where(
                Conversation.account_id == account, Conversation.id != excluding)
                .order_by(Conversation.created_at.desc()).limit(limit)))

    def ratings_of(self, conversation_ids: list[str]) -> dict[str, int]:
        """The last rating given in each of these conversations."""
        if not conversation_ids:
            return {}
        with self.session() as session:
            rows = session.scalars(select(CsatRating).where(CsatRating.conversation_id.in_(conversation_ids))
                                   .order_by(CsatRating.id))
            return {rating.conversation_id: rating.score for rating in rows}
