"""Storage on a real SQLite file and a real PostgreSQL server: the same behaviour on both."""
from __future__ import annotations

from bot.gateway.models import Conversation
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
    new, created = store.open_conversation("c1")
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
