"""`kefu data purge`: conversations past `privacy.retention_days`, or every conversation of one
account (the customer's right to erasure), deleted from both stores that hold them.

- The gateway's store (SQLite or PostgreSQL): the conversations with their messages, notes,
  ratings and handoffs; a later conversation that linked to a purged one keeps no link.
- Rasa's SQL tracker store (endpoints.yml `tracker_store`): every event of the bot senders of
  those conversations (an account, or a guest's `guest-<conversation id>`), and, for retention,
  every event older than the cut-off whoever it belongs to.
The audit log stays (it holds who did what, not what customers said). Live conversations are
purged only by an erasure request, never by retention.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.engine import URL

from bot.config import ConfigError, KefuConfig
from bot.gateway.models import Conversation, CsatRating, Handoff, Message, Note, utcnow
from bot.gateway.store import Store, database_url

# the columns of Rasa's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent) that purging reads
RASA_EVENTS = Table("events", MetaData(), Column("id", Integer, primary_key=True), Column("sender_id", String(255)),
                    Column("timestamp", Float))


@dataclass
class PurgeReport:
    conversations: int = 0
    messages: int = 0
    tracker_events: int = 0
    senders: list[str] = field(default_factory=list)
    dry_run: bool = False

    def __str__(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        return (f"{verb} {self.conversations} conversations ({self.messages} messages) from the gateway store "
                f"and {self.tracker_events} events from Rasa's tracker store")


def tracker_store_url(config: KefuConfig) -> str | URL | None:
    """The SQLAlchemy URL of Rasa's SQL tracker store as the stack runs it (see bot/stack.py), or
    None when the tracker store is not SQL (in memory: nothing outlives the Rasa process)."""
    path = config.path(config.rasa.endpoints)
    endpoints = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    tracker: dict[str, Any] = (endpoints or {}).get("tracker_store") or {}
    if tracker.get("type") != "SQL":
        return None
    dialect = tracker.get("dialect", "sqlite")
    if dialect == "sqlite":
        name = Path(tracker.get("db", "rasa_tracker.db")).name
        return f"sqlite:///{(config.path(config.paths.var) / name).resolve()}"
    if dialect in ("postgresql", "postgres"):
        return URL.create("postgresql+psycopg", username=tracker.get("username"), password=tracker.get("password"),
                          host=tracker.get("url"), port=tracker.get("port"), database=tracker.get("db"))
    raise ConfigError(f"{path} > tracker_store > dialect: kefu data purge knows sqlite and postgresql, not {dialect!r}")


def purge(config: KefuConfig, *, older_than_days: float | None = None, account: str | None = None,
          dry_run: bool = False) -> PurgeReport:
    if (older_than_days is None) == (account is None):
        raise ValueError("give either older_than_days (retention) or account (erasure)")
    if older_than_days is not None and older_than_days < 0:
        raise ValueError("older_than_days must be 0 or more")
    cutoff = utcnow() - timedelta(days=older_than_days) if older_than_days is not None else None
    store = Store(database_url(config))
    try:
        report = _purge_gateway(store, cutoff, account, dry_run)
    finally:
        store.close()
    report.tracker_events = _purge_tracker(tracker_store_url(config), report.senders, cutoff, dry_run)
    return report


def _purge_gateway(store: Store, cutoff: Any, account: str | None, dry_run: bool) -> PurgeReport:
    with store.session() as session:
        if account is not None:
            chosen = select(Conversation).where(Conversation.account_id == account)
        else:
            ended = Conversation.closed_at.is_not(None) & (Conversation.closed_at < cutoff)
            chosen = select(Conversation).where(Conversation.mode == "closed", ended)
        conversations = list(session.scalars(chosen))
        ids = [c.id for c in conversations]
        report = PurgeReport(conversations=len(ids), senders=sorted({c.bot_sender for c in conversations}),
                             dry_run=dry_run)
        if not ids:
            return report
        report.messages = len(list(session.scalars(select(Message.id).where(Message.conversation_id.in_(ids)))))
        if dry_run:
            return report
        session.execute(update(Conversation).where(Conversation.previous_id.in_(ids)).values(previous_id=None))
        for table in (Message, Note, CsatRating, Handoff):
            session.execute(delete(table).where(table.conversation_id.in_(ids)))
        session.execute(delete(Conversation).where(Conversation.id.in_(ids)))
    return report


def _purge_tracker(url: str | URL | None, senders: list[str], cutoff: Any, dry_run: bool) -> int:
    if url is None or (isinstance(url, str) and url.startswith("sqlite:///")
                       and not Path(url.removeprefix("sqlite:///")).exists()):
        return 0  # no SQL tracker store, or Rasa has not created its file yet
    engine = create_engine(url)
    try:
        if "events" not in inspect(engine).get_table_names():
            return 0  # Rasa has not written a tracker yet
        events = RASA_EVENTS
        conditions = [events.c.sender_id.in_(senders)] if senders else []
        if cutoff is not None:  # Rasa's timestamps are epoch seconds; utcnow() is naive UTC
            conditions.append(events.c.timestamp < cutoff.replace(tzinfo=timezone.utc).timestamp())
        if not conditions:
            return 0
        with engine.begin() as connection:
            matched = len(list(connection.execute(select(events.c.id).where(or_(*conditions)))))
            if not dry_run:
                connection.execute(delete(events).where(or_(*conditions)))
        return matched
    finally:
        engine.dispose()

