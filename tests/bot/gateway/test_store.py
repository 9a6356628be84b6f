"""Storage on a real SQLite file and a real PostgreSQL server: the same behaviour on both."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import bot.gateway
from bot.gateway.models import Agent, Conversation, Handoff, utcnow
from bot.gateway.store import Store


def test_first_message_opens_a_conversation_with_an_unguessable_token(store: Store) -> None:
    conversation, created = store.open_conversation("c1")
    again, created_again = store.open_conversation("c1")
    assert created and not created_again and again.id == conversation.id
    assert conversation.mode == "bot" and len(conversation.token) >= 32
    other, _ = store.open_conversation("c2")
    assert other.token != conversation.token and other.id != conversation.id


def test_messages_are_kept_in_order_with_their_payload(store: Store) -> None:
    conversation, _ = store.open_conversation("c1")
    store.add_message(conversation.id, "customer", "<script>alert(1)</script>", client_id="m1")
    store.add_message(conversation.id, "bot", "好的", {"custom": {"citations": [{"title": "退货"}]}})
    messages = store.messages(conversation.id)
    assert [(m.role, m.text) for m in messages] == [("customer", "<script>alert(1)</script>"), ("bot", "好的")]
    assert messages[1].payload == {"custom": {"citations": [{"title": "退货"}]}}
    assert [m.id for m in store.messages(conversation.id, after=messages[0].id)] == [messages[1].id]


def test_a_resent_client_message_is_stored_once(store: Store) -> None:
    conversation, _ = store.open_conversation("c1")
    first, duplicate_first = store.add_message(conversation.id, "customer", "在吗", client_id="same")
    second, duplicate_second = store.add_message(conversation.id, "customer", "在吗", client_id="same")
    assert not duplicate_first and duplicate_second and second.id == first.id
    assert len(store.messages(conversation.id)) == 1


def test_mode_changes_only_from_the_expected_mode(store: Store) -> None:
    conversation, _ = store.open_conversation("c1")
    assert store.set_mode(conversation.id, "queued", expected=("bot",))
    assert not store.set_mode(conversation.id, "queued", expected=("bot",))
    assert store.conversation(conversation.id).mode == "queued"


def test_a_returning_customer_gets_a_new_session_linked_to_the_old_one(store: Store) -> None:
    old, _ = store.open_conversation("c1")
    store.add_message(old.id, "customer", "上次的问题")
    store.set_mode(old.id, "closed")
    stranger, created = store.open_conversation("c1")
    assert created and stranger.previous_id is None, "a sender id alone does not earn the earlier session"
    store.set_mode(stranger.id, "closed")
    store.add_message(stranger.id, "customer", "别人的问题")
    new, created = store.open_conversation("c1", earlier_token=old.token)
    assert created and new.id != old.id and new.previous_id == old.id
    assert [m.text for m in store.history(new)] == ["上次的问题"]
    assert store.conversation(old.id).closed_at is not None


def test_everything_survives_reopening_the_database(database_url: str) -> None:
    first = Store(database_url)
    conversation, _ = first.open_conversation("c1")
    first.add_message(conversation.id, "customer", "你好", client_id="a")
    first.audit("agent1", "claimed", conversation.id)
    first.close()
    reopened = Store(database_url)
    assert isinstance(reopened.conversation(conversation.id), Conversation)
    assert [m.text for m in reopened.messages(conversation.id)] == ["你好"]
    assert [(e.actor, e.action) for e in reopened.audit_log(conversation.id)] == [("agent1", "claimed")]
    reopened.close()


def test_notes_and_ratings_are_kept_per_conversation(store: Store) -> None:
    conversation, _ = store.open_conversation("c1")
    other, _ = store.open_conversation("c2")
    agent = Agent(username="a1", display_name="a1", password_hash="x")
    assert store.add_agent(agent) is True
    first = store.add_note(conversation.id, agent.id, "客户要求退款")
    store.add_note(other.id, agent.id, "别的会话")
    store.add_note(conversation.id, agent.id, "已联系仓库")
    assert first.id is not None
    assert [n.text for n in store.notes(conversation.id)] == ["客户要求退款", "已联系仓库"]
    store.add_rating(conversation.id, 4, handoff_id=None, agent_id=agent.id)
    store.add_rating(other.id, 5, handoff_id=None, agent_id=None)
    assert [(r.conversation_id, r.score) for r in store.ratings(1)] == [(other.id, 5)]
    assert len(store.ratings(500)) == 2


def test_an_agent_name_is_taken_once_and_a_session_finds_its_agent(store: Store) -> None:
    assert store.add_agent(Agent(username="a1", display_name="一", password_hash="x")) is True
    assert store.add_agent(Agent(username="a1", display_name="二", password_hash="y")) is False
    assert [a.display_name for a in store.agents()] == ["一"] and store.agent_count() == 1
    agent = store.agent_by_name("a1")
    store.open_agent_session("hash", agent.id, utcnow() + timedelta(hours=1))
    assert store.agent_for_session("hash").username == "a1"
    store.end_agent_session("hash")
    assert store.agent_for_session("hash") is None


def test_a_refused_take_over_stores_nothing(store: Store) -> None:
    conversation, _ = store.open_conversation("c1")
    store.set_mode(conversation.id, "closed")
    handoff = Handoff(conversation_id=conversation.id, trigger="takeover", reason="supervisor_takeover",
                      agent_group="咨询")
    assert store.take_over(handoff) is False
    assert store.open_handoff(conversation.id) is None and store.conversation(conversation.id).mode == "closed"


def test_only_the_store_speaks_sql() -> None:
    """Every other gateway module goes through named Store methods, never a session or SQLAlchemy."""
    gateway = Path(bot.gateway.__file__).parent
    for module in gateway.glob("*.py"):
        if module.name.startswith(("store", "models")):  # the storage layer and its tables
            continue
        source = module.read_text(encoding="utf-8")
        assert ".session()" not in source and "sqlalchemy" not in source, module.name
