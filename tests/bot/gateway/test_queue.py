"""The handoff queue on real databases: priorities, routing, FIFO, claims, limits, transfer."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import GatewaySettings
from bot.gateway.models import Agent, Handoff
from bot.gateway.queue import ClaimRefused, HandoffQueue, route
from bot.gateway.store import Store

FAKE_HASH = "not-a-login-account"


def add_agent(store: Store, username: str, groups: str, role: str = "agent", presence: str = "online",
              max_concurrency: int = 3) -> Agent:
    with store.session() as session:
        agent = Agent(username=username, display_name=username, password_hash=FAKE_HASH, role=role,
                      groups=groups, presence=presence, max_concurrency=max_concurrency)
        session.add(agent)
    return agent


def shift_back(store: Store, column: str, minutes: float) -> None:
    """Pretend every handoff's `column` happened `minutes` earlier (portable across databases)."""
    with store.session() as session:
        for handoff in session.scalars(select(Handoff)):
            setattr(handoff, column, getattr(handoff, column) - timedelta(minutes=minutes))


def queued(store: Store, queue: HandoffQueue, sender: str, priority: str = "normal", problem_class: str = "咨询类") -> str:
    conversation, _ = store.open_conversation(sender)
    queue.enqueue(conversation.id, "bot", {"reason": "customer_request", "priority": priority,
                                           "problem_class": problem_class, "summary": sender})
    return conversation.id


@pytest.fixture()
def queue(store: Store) -> HandoffQueue:
    return HandoffQueue(store, GatewaySettings())


def test_problem_classes_route_to_the_configured_groups() -> None:
    settings = GatewaySettings()
    assert route(settings, "投诉类") == "投诉"
    assert route(settings, "故障类") == "售后"
    assert route(settings, "没见过的类") == settings.default_group


def test_high_priority_first_then_first_come_first_served(store: Store, queue: HandoffQueue) -> None:
    first = queued(store, queue, "normal-1")
    second = queued(store, queue, "normal-2")
    vip = queued(store, queue, "vip", priority="high")
    order = [entry.handoff.conversation_id for entry in queue.waiting()]
    assert order == [vip, first, second]
    assert [entry.position for entry in queue.waiting()] == [1, 2, 3]
    assert store.conversation(first).mode == "queued"


def test_positions_count_within_each_group(store: Store, queue: HandoffQueue) -> None:
    complaint = queued(store, queue, "angry", priority="high", problem_class="投诉类")
    enquiry = queued(store, queue, "asks", problem_class="咨询类")
    assert queue.position(complaint)[0] == 1 and queue.position(enquiry)[0] == 1


def test_estimated_wait_shrinks_with_more_agents_online(store: Store, queue: HandoffQueue) -> None:
    ids = [queued(store, queue, f"c{i}") for i in range(6)]
    alone = queue.position(ids[-1])
    add_agent(store, "a1", "咨询", max_concurrency=3)
    add_agent(store, "a2", "咨询", max_concurrency=3)
    helped = queue.position(ids[-1])
    assert alone == (6, 36) and helped == (6, 6)  # 6 × 6 min over 1 slot, then over 6 slots


def test_agents_see_only_their_groups_supervisors_see_all(store: Store, queue: HandoffQueue) -> None:
    queued(store, queue, "complains", problem_class="投诉类")
    queued(store, queue, "asks")
    agent = add_agent(store, "a1", "咨询")
    boss = add_agent(store, "s1", "", role="supervisor")
    assert [e.handoff.agent_group for e in queue.visible_to(agent)] == ["咨询"]
    assert sorted(e.handoff.agent_group for e in queue.visible_to(boss)) == ["咨询", "投诉"]


def test_claim_respects_group_presence_and_concurrency(store: Store, queue: HandoffQueue) -> None:
    ids = [queued(store, queue, f"c{i}") for i in range(3)]
    complaint = queued(store, queue, "x", problem_class="投诉类")
    away = add_agent(store, "away", "咨询", presence="away")
    agent = add_agent(store, "a1", "咨询", max_concurrency=2)
    with pytest.raises(ClaimRefused, match="在线"):
        queue.claim(away, ids[0])
    with pytest.raises(ClaimRefused, match="投诉组"):
        queue.claim(agent, complaint)
    queue.claim(agent, ids[0])
    queue.claim(agent, ids[1])
    with pytest.raises(ClaimRefused, match="同时接待 2 个"):
        queue.claim(agent, ids[2])
    assert store.conversation(ids[0]).mode == "human" and store.conversation(ids[0]).assigned_agent_id == agent.id
    assert [e.handoff.conversation_id for e in queue.waiting()] == [ids[2], complaint]


def test_two_agents_cannot_claim_the_same_conversation(store: Store, queue: HandoffQueue) -> None:
    conversation = queued(store, queue, "c1")
    first, second = add_agent(store, "a1", "咨询"), add_agent(store, "a2", "咨询")
    queue.claim(first, conversation)
    with pytest.raises(ClaimRefused):
        queue.claim(second, conversation)


def test_transfer_requeues_for_another_group_keeping_the_wait(store: Store, queue: HandoffQueue) -> None:
    early = queued(store, queue, "early")
    shift_back(store, "queued_at", minutes=10)
    later = queued(store, queue, "later", problem_class="投诉类")
    agent = add_agent(store, "a1", "咨询")
    queue.claim(agent, early)
    queue.transfer(agent, early, "投诉")
    assert [e.handoff.conversation_id for e in queue.waiting("投诉")] == [early, later]
    assert store.conversation(early).mode == "queued"


def test_resolve_returns_the_conversation_to_the_bot_and_feeds_the_wait_estimate(store: Store, queue: HandoffQueue) -> None:
    conversation = queued(store, queue, "c1")
    agent = add_agent(store, "a1", "咨询")
    queue.claim(agent, conversation)
    shift_back(store, "claimed_at", minutes=4)
    queue.resolve(agent, conversation)
    state = store.conversation(conversation)
    assert state.mode == "bot" and state.awaiting_csat and state.assigned_agent_id is None
    assert queue.active_count(agent.id) == 0
    assert queue.estimated_wait_minutes("咨询", 2) == 3  # 2 × ~4 min over one online agent's 3 slots
    assert [e.action for e in store.audit_log(conversation)] == ["queued", "claimed", "resolved"]
