"""`kefu data purge`: retention and erasure in the gateway store (SQLite and PostgreSQL) and in an
SQL tracker store with Rasa's `events` table (the real Rasa one: tests/stack/test_privacy.py)."""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select, update

from bot.config import KefuConfig
from bot.gateway.models import Conversation, utcnow
from bot.gateway.store import Store
from bot.ports import free_port
from bot.privacy.purge import RASA_EVENTS, purge, tracker_store_url
from tests.bot.gateway.conftest import database_url, postgres_url, write_config  # noqa: F401 - fixtures

REPO = Path(__file__).resolve().parents[3]


def stores(tmp_path: Path, url: str) -> tuple[KefuConfig, Store]:
    (tmp_path / "endpoints.yml").write_text("tracker_store: {type: SQL, dialect: sqlite, db: rasa_tracker.db}\n")
    config = write_config(tmp_path, free_port(), database_url=url)
    (tmp_path / "var").mkdir(exist_ok=True)
    engine = create_engine(tracker_store_url(config))
    RASA_EVENTS.metadata.create_all(engine)
    engine.dispose()
    return config, Store(url)


def add_events(config: KefuConfig, sender: str, when: float, count: int = 3) -> None:
    engine = create_engine(tracker_store_url(config))
    with engine.begin() as connection:
        connection.execute(insert(RASA_EVENTS), [{"sender_id": sender, "timestamp": when} for _ in range(count)])
    engine.dispose()


def senders_left(config: KefuConfig) -> list[str]:
    engine = create_engine(tracker_store_url(config))
    with engine.connect() as connection:
        left = sorted(set(connection.scalars(select(RASA_EVENTS.c.sender_id))))
    engine.dispose()
    return left


def conversation(store: Store, sender: str, account: str | None = None, ended_days_ago: float | None = None) -> str:
    opened, _ = store.open_conversation(sender, account=account)
    store.add_message(opened.id, "customer", f"{sender} 的消息")
    if ended_days_ago is not None:
        store.set_mode(opened.id, "closed", closed_at=utcnow() - timedelta(days=ended_days_ago))
    return opened.id


def test_retention_deletes_old_ended_conversations_from_both_stores(tmp_path: Path, database_url: str) -> None:  # noqa: F811
    config, store = stores(tmp_path, database_url)
    old = conversation(store, "old-guest", ended_days_ago=400)
    recent = conversation(store, "recent-guest", ended_days_ago=10)
    live = conversation(store, "live-guest")
    newer, _ = store.open_conversation("old-guest", earlier_token=store.conversation(old).token)
    with store.session() as session:  # a later session linked to the old one keeps working without the link
        session.execute(update(Conversation).where(Conversation.id == newer.id).values(previous_id=old))
    add_events(config, f"guest-{old}", time.time() - 400 * 86400)
    add_events(config, f"guest-{recent}", time.time() - 10 * 86400)
    add_events(config, "u1", time.time() - 500 * 86400, count=2)  # an account's own old turns
    add_events(config, "u1", time.time())
    dry = purge(config, older_than_days=365, dry_run=True)
    assert (dry.conversations, dry.messages, dry.tracker_events) == (1, 1, 5)
    assert store.conversation(old) is not None, "a dry run deletes nothing"
    report = purge(config, older_than_days=365)
    assert (report.conversations, report.messages, report.tracker_events) == (1, 1, 5)
    assert store.conversation(old) is None and store.messages(old) == []
    assert store.conversation(recent) is not None and store.conversation(live) is not None
    assert store.conversation(newer.id).previous_id is None
    assert senders_left(config) == sorted([f"guest-{recent}", "u1"])
    store.close()


def test_erasure_removes_every_conversation_of_one_account_live_ones_too(tmp_path: Path, database_url: str) -> None:  # noqa: F811
    config, store = stores(tmp_path, database_url)
    ended = conversation(store, "u7", account="u7", ended_days_ago=1)
    live = conversation(store, "u7", account="u7")
    other = conversation(store, "u8", account="u8")
    add_events(config, "u7", time.time())
    add_events(config, "u8", time.time())
    report = purge(config, account="u7")
    assert report.conversations == 2 and report.tracker_events == 3
    assert store.conversation(ended) is None and store.conversation(live) is None
    assert store.conversation(other) is not None and senders_left(config) == ["u8"]
    store.close()


def test_the_command_explains_its_mistakes(tmp_path: Path) -> None:
    for arguments, expected in ((["--older-than-days", "-1"], "0 or more"),
                                (["--account", "u1", "--older-than-days", "3"], "not allowed with")):
        result = subprocess.run([sys.executable, "-m", "bot", "data", "purge", *arguments], cwd=REPO,
                                capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(REPO),
                                                                                   "KEFU_CONFIG": str(tmp_path / "none.yml"),
                                                                                   "PATH": "/usr/bin:/bin"})
        assert result.returncode == 2 and expected in result.stderr, result.stderr


@pytest.mark.parametrize("days", [30])
def test_the_command_purges_with_the_configured_retention(tmp_path: Path, days: int) -> None:
    (tmp_path / "kefu.yml").write_text(f"paths: {{var: {tmp_path / 'var'}}}\nprivacy: {{retention_days: {days}}}\n")
    result = subprocess.run([sys.executable, "-m", "bot", "--config", str(tmp_path / "kefu.yml"), "data", "purge",
                             "--dry-run"], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert f"conversations ended over {days} days ago" in result.stdout and "would delete 0" in result.stdout
