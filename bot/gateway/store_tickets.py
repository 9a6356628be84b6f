"""Tickets and their history in the gateway's database: part of `Store`.

Each method is one transaction; a ticket's change and the event recording it commit together, so
the history never misses a change that happened.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.gateway.models import Ticket, TicketEvent, TicketLink, utcnow
from bot.tickets import CLOSED


class TicketStore:
    """The `tickets`, `ticket_events` and `ticket_links` tables."""

    if TYPE_CHECKING:
        def session(self) -> AbstractContextManager[Session]: ...

    def add_ticket(self, ticket: Ticket, actor: str, detail: str) -> Ticket:
        with self.session() as session:
            session.add(ticket)
            session.flush()
            session.add(TicketEvent(ticket_id=ticket.id, actor=actor, action="created", detail=detail))
        return ticket

    def ticket(self, ticket_id: int) -> Ticket | None:
        with self.session() as session:
            return session.get(Ticket, ticket_id)

    def change_ticket(self, ticket_id: int, actor: str, action: str, detail: str,
                      expected_status: str | None = None, **values: Any) -> bool:
        """Apply `values` (if any) and record the event; with `expected_status`, only from that status.
        False when the ticket moved on meanwhile (another agent's change won)."""
        with self.session() as session:
            if values:
                statement = update(Ticket).where(Ticket.id == ticket_id)
                if expected_status is not None:
                    statement = statement.where(Ticket.status == expected_status)
                if session.execute(statement.values(updated_at=utcnow(), **values)).rowcount != 1:
                    return False
            session.add(TicketEvent(ticket_id=ticket_id, actor=actor, action=action, detail=detail))
        return True

    def ticket_events(self, ticket_id: int) -> list[TicketEvent]:
        with self.session() as session:
            return list(session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
                                        .order_by(TicketEvent.id)))

    def tickets(self, status: str | None = None, group: str | None = None, owner: int | None = None,
                customer: str | None = None, overdue_at: datetime | None = None, limit: int = 200) -> list[Ticket]:
        """Tickets by filter, the nearest deadline first; `overdue_at`: open ones due before it."""
        statement = select(Ticket)
        if status:
            statement = statement.where(Ticket.status == status)
        if group:
            statement = statement.where(Ticket.agent_group == group)
        if owner is not None:
            statement = statement.where(Ticket.owner_agent_id == owner)
        if customer:
            statement = statement.where(or_(Ticket.account_id == customer, Ticket.customer == customer))
        if overdue_at is not None:
            statement = statement.where(Ticket.status != CLOSED, Ticket.due_at < overdue_at)
        with self.session() as session:
            return list(session.scalars(statement.order_by(Ticket.due_at, Ticket.id).limit(limit)))

    def tickets_of_conversation(self, conversation_id: str) -> list[Ticket]:
        with self.session() as session:
            linked = select(TicketLink.ticket_id).where(TicketLink.conversation_id == conversation_id)
            return list(session.scalars(select(Ticket).where(
                or_(Ticket.conversation_id == conversation_id, Ticket.id.in_(linked))).order_by(Ticket.id)))

    def link_ticket(self, ticket_id: int, conversation_id: str, actor: str) -> bool:
        """Link one more conversation; False if it already was."""
        try:
            with self.session() as session:
                session.add(TicketLink(ticket_id=ticket_id, conversation_id=conversation_id))
                session.add(TicketEvent(ticket_id=ticket_id, actor=actor, action="linked", detail=conversation_id))
        except IntegrityError:
            return False
        return True

    def linked_conversations(self, ticket_id: int) -> list[str]:
        with self.session() as session:
            return list(session.scalars(select(TicketLink.conversation_id).where(TicketLink.ticket_id == ticket_id)
                                        .order_by(TicketLink.id)))

    def followups_due(self, now: datetime) -> list[Ticket]:
        """Closed tickets whose follow-up (回访) is due and not yet sent."""
        with self.session() as session:
            return list(session.scalars(select(Ticket).where(
                Ticket.status == CLOSED, Ticket.followup_due_at.is_not(None), Ticket.followup_due_at <= now,
                Ticket.followup_sent_at.is_(None)).order_by(Ticket.followup_due_at)))
