"""Durable storage of conversations and messages through SQLAlchemy: an SQLite file or PostgreSQL.

`Store` is the only way the gateway reaches its database: named methods, each one transaction.
This module holds conversations, messages, notes and the audit log; agents and their sessions are
in store_agents.py, the handoff queue and ratings in store_handoffs.py, tickets in store_tickets.py,
customer profiles in store_customers.py, the agent desk's tables in store_desk.py (all mixed into
`Store`).

Every write commits before the function returns, and callers acknowledge only after that, so a
gateway killed at any moment loses nothing it has acknowledged. SQLite runs in WAL mode with
`synchronous=NORMAL`: committed transactions survive a killed process (not a power cut).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, inspect, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.config import KefuConfig
from bot.gateway.models import AuditEntry, Base, Conversation, Message, Note, utcnow
from bot.gateway.store_agents import AgentStore
from bot.gateway.store_customers import CustomerStore
from bot.gateway.store_desk import DeskStore
from bot.gateway.store_handoffs import HandoffStore
from bot.gateway.store_tickets import TicketStore


def database_url(config: KefuConfig) -> str:
    """`gateway.database_url` if set, else the SQLite file `$KEFU_GATEWAY_DB` or `<var>/gateway.db`."""
    if config.gateway.database_url:
        return config.gateway.database_url
    path = os.environ.get("KEFU_GATEWAY_DB") or str(config.path(config.paths.var) / "gateway.db")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return f"sqlite:///{os.path.abspath(path)}"


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection: Any, record: Any) -> None:
        cursor = connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return engine


def _add_missing_columns(engine: Engine) -> None:
    """Columns added to a table after a database was created (nullable ones only), so that an
    existing gateway.db keeps working after an upgrade. `create_all` makes new tables only."""
    existing_tables = set(inspect(engine).get_table_names())
    for table in Base.metadata.sorted_tables:
        if table.name not in existing_tables:
            continue
        present = {column["name"] for column in inspect(engine).get_columns(table.name)}
        for column in table.columns:
            if column.name not in present and column.nullable:
                kind = column.type.compile(dialect=engine.dialect)
                with engine.begin() as connection:
                    connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


def message_dict(message: Message) -> dict[str, Any]:
    return {"id": message.id, "conversation": message.conversation_id, "role": message.role,
            "text": message.text, "payload": message.payload, "client_id": message.client_message_id,
            "created_at": message.created_at.isoformat() + "Z"}


class Store(AgentStore, HandoffStore, TicketStore, CustomerStore, DeskStore):
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        Base.metadata.create_all(self.engine)
        _add_missing_columns(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    # conversations -------------------------------------------------------------------------
    def conversation(self, conversation_id: str) -> Conversation | None:
        with self.session() as session:
            return session.get(Conversation, conversation_id)

    def active_conversation(self, sender: str, account: str | None = None) -> Conversation | None:
        """The live conversation of a proven account, or else of a guest's sender."""
        owner = Conversation.account_id == account if account else (
            (Conversation.sender == sender) & Conversation.account_id.is_(None))
        with self.session() as session:
            return session.scalars(select(Conversation).where(owner, Conversation.mode != "closed")
                                   .order_by(Conversation.created_at.desc())).first()

    def open_conversation(self, sender: str, account: str | None = None,
                          earlier_token: str | None = None) -> tuple[Conversation, bool]:
        """The live conversation (see `active_conversation`), or a new one.

        A new conversation continues the customer's history (`previous_id`, shown by the widget)
        only when that history is provably theirs: the same proven account, or a guest who holds
        the token of one of its earlier conversations. A sender id alone proves nothing."""
        existing = self.active_conversation(sender, account)
        if existing is not None:
            return existing, False
        with self.session() as session:
            if account:
                previous = session.scalars(select(Conversation.id).where(Conversation.account_id == account)
                                           .order_by(Conversation.created_at.desc())).first()
            elif earlier_token:  # the token of one of this guest's earlier conversations
                previous = session.scalars(select(Conversation.id).where(
                    Conversation.sender == sender, Conversation.account_id.is_(None),
                    Conversation.token == earlier_token)).first()
            else:
                previous = None
            conversation = Conversation(sender=account or sender, account_id=account, previous_id=previous)
            session.add(conversation)
        return conversation, True

    def set_mode(self, conversation_id: str, mode: str, expected: tuple[str, ...] | None = None,
                 **values: Any) -> bool:
        """Move a conversation to `mode` if it is in one of `expected`; True if it moved."""
        statement = update(Conversation).where(Conversation.id == conversation_id)
        if expected is not None:
            statement = statement.where(Conversation.mode.in_(expected))
        if mode == "closed":
            values.setdefault("closed_at", utcnow())
        with self.session() as session:
            return session.execute(statement.values(mode=mode, **values)).rowcount == 1

    def update_conversation(self, conversation_id: str, **values: Any) -> None:
        with self.session() as session:
            session.execute(update(Conversation).where(Conversation.id == conversation_id).values(**values))

    def conversations_in_mode(self, *modes: str) -> list[Conversation]:
        with self.session() as session:
            return list(session.scalars(select(Conversation).where(Conversation.mode.in_(modes))
                                        .order_by(Conversation.last_activity_at.desc())))

    # messages ------------------------------------------------------------------------------
    def add_message(self, conversation_id: str, role: str, text: str | None,
                    payload: dict[str, Any] | None = None, client_id: str | None = None,
                    activity: bool = True) -> tuple[Message, bool]:
        """Commit one message; returns it and whether it is a resend of one already stored."""
        if client_id:
            existing = self._by_client_id(conversation_id, client_id)
            if existing is not None:
                return existing, True
        message = Message(conversation_id=conversation_id, role=role, text=text, payload=payload,
                          client_message_id=client_id)
        try:
            with self.session() as session:
                session.add(message)
                if activity:
                    session.execute(update(Conversation).where(Conversation.id == conversation_id)
                                    .values(last_activity_at=utcnow(), reminded=False))
        except IntegrityError:
            existing = self._by_client_id(conversation_id, client_id or "")
            if existing is None:
                raise
            return existing, True
        return message, False

    def _by_client_id(self, conversation_id: str, client_id: str) -> Message | None:
        with self.session() as session:
            return session.scalars(select(Message).where(
                Message.conversation_id == conversation_id, Message.client_message_id == client_id)).first()

    def messages(self, conversation_id: str, after: int = 0) -> list[Message]:
        with self.session() as session:
            return list(session.scalars(select(Message).where(
                Message.conversation_id == conversation_id, Message.id > after).order_by(Message.id)))

    def recent_customer_texts(self, conversation_id: str, limit: int, before_id: int) -> list[str]:
        """The texts of the customer's last `limit` messages before message `before_id`, oldest first."""
        with self.session() as session:
            texts = session.scalars(select(Message.text).where(
                Message.conversation_id == conversation_id, Message.role == "customer", Message.id < before_id)
                .order_by(Message.id.desc()).limit(limit))
            return [text or "" for text in reversed(list(texts))]

    def history(self, conversation: Conversation, sessions: int = 5) -> list[Message]:
        """Messages of up to `sessions` earlier sessions of the same customer, oldest first."""
        earlier: list[Message] = []
        previous_id = conversation.previous_id
        while previous_id and sessions > 0:
            previous = self.conversation(previous_id)
            if previous is None:
                break
            earlier = self.messages(previous.id) + earlier
            previous_id, sessions = previous.previous_id, sessions - 1
        return earlier

    # notes ---------------------------------------------------------------------------------
    def notes(self, conversation_id: str) -> list[Note]:
        with self.session() as session:
            return list(session.scalars(select(Note).where(Note.conversation_id == conversation_id)
                                        .order_by(Note.id)))

    def add_note(self, conversation_id: str, agent_id: int, text: str) -> Note:
        with self.session() as session:
            note = Note(conversation_id=conversation_id, agent_id=agent_id, text=text)
            session.add(note)
        return note

    # audit ---------------------------------------------------------------------------------
    def audit(self, actor: str, action: str, conversation_id: str | None = None, detail: str = "") -> None:
        with self.session() as session:
            session.add(AuditEntry(actor=actor, action=action, conversation_id=conversation_id, detail=detail))

    def count_audit(self, action: str, since: datetime, actor: str | None = None, detail: str | None = None) -> int:
        """How many `action` entries since `since`, by `actor` and/or with `detail` (login throttling)."""
        statement = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action,
                                                                       AuditEntry.at >= since)
        if actor is not None:
            statement = statement.where(AuditEntry.actor == actor)
        if detail is not None:
            statement = statement.where(AuditEntry.detail == detail)
        with self.session() as session:
            return int(session.scalar(statement) or 0)

    def audit_log(self, conversation_id: str | None = None) -> list[AuditEntry]:
        with self.session() as session:
            statement = select(AuditEntry).order_by(AuditEntry.id)
            if conversation_id:
                statement = statement.where(AuditEntry.conversation_id == conversation_id)
            return list(session.scalars(statement))
