"""The persistent handoff queue: priorities, skills-based routing to agent groups, FIFO within a
priority, claiming under each agent's concurrency limit, transfer and resolution.

Claims are conditional updates (`... WHERE claimed_by IS NULL`, in `Store.claim_handoff`), so two
agents clicking at once cannot both get a conversation, whichever database and however many
gateway workers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bot.config import GatewaySettings
from bot.gateway.agents import has_role
from bot.gateway.models import Agent, Conversation, Handoff, utcnow
from bot.gateway.store import Store
from bot.handoff import DEFAULT_PROBLEM_CLASS
from bot.handoff import Handoff as HandoffRequest

RECENT_FOR_AVERAGE = 50
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


class ClaimRefused(Exception):
    """Why an agent may not take a conversation, in words for the console."""


@dataclass(frozen=True)
class QueueEntry:
    handoff: Handoff
    conversation: Conversation
    position: int
    wait_seconds: float

    def as_dict(self) -> dict[str, Any]:
        h = self.handoff
        return {"handoff": h.id, "conversation": h.conversation_id, "sender": self.conversation.sender,
                "account": self.conversation.account_id, "reason": h.reason, "trigger": h.trigger, "priority": h.priority,
                "problem_class": h.problem_class, "group": h.agent_group, "summary": h.summary,
                "queued_at": h.queued_at.isoformat() + "Z", "position": self.position,
                "waiting_seconds": round(self.wait_seconds, 1)}


def route(settings: GatewaySettings, problem_class: str) -> str:
    """The agent group whose skills fit the problem class (`gateway.routing`)."""
    rules = dict(rule.split("=", 1) for rule in settings.routing)
    return rules.get(problem_class, settings.default_group)


def priority_rank(priority: str) -> int:
    return PRIORITY_RANK.get(priority, PRIORITY_RANK["normal"])


class HandoffQueue:
    def __init__(self, store: Store, settings: GatewaySettings) -> None:
        self.store = store
        self.settings = settings

    def enqueue(self, conversation_id: str, trigger: str, payload: dict[str, Any]) -> Handoff:
        """Record a handoff and move the conversation to `queued`."""
        request = HandoffRequest.from_payload(payload, default_reason=trigger)
        handoff = Handoff(conversation_id=conversation_id, trigger=trigger, reason=request.reason, payload=payload,
                          priority=request.priority, problem_class=request.problem_class,
                          agent_group=route(self.settings, request.problem_class), summary=request.summary)
        self.store.enqueue(handoff)
        self.store.audit("system", "queued", conversation_id, f"{trigger}: {handoff.reason} → {handoff.agent_group}")
        return handoff

    def open_handoff(self, conversation_id: str) -> Handoff | None:
        return self.store.open_handoff(conversation_id)

    def last_resolved(self, conversation_id: str) -> Handoff | None:
        return self.store.last_resolved_handoff(conversation_id)

    def waiting(self, group: str | None = None) -> list[QueueEntry]:
        """Unclaimed handoffs in queue order: priority first, then who waited longest."""
        rows = self.store.waiting_handoffs(group)
        rows.sort(key=lambda row: (priority_rank(row[0].priority), row[0].queued_at, row[0].id))
        now = utcnow()
        positions: dict[str, int] = {}
        entries = []
        for handoff, conversation in rows:
            positions[handoff.agent_group] = positions.get(handoff.agent_group, 0) + 1
            entries.append(QueueEntry(handoff, conversation, positions[handoff.agent_group],
                                      (now - handoff.queued_at).total_seconds()))
        return entries

    def visible_to(self, agent: Agent) -> list[QueueEntry]:
        entries = self.waiting()
        if has_role(agent, "supervisor"):
            return entries
        return [entry for entry in entries if entry.handoff.agent_group in agent.group_list]

    def position(self, conversation_id: str) -> tuple[int, int] | None:
        """(place in its group's queue, estimated wait in minutes), or None when not waiting."""
        for entry in self.waiting():
            if entry.handoff.conversation_id == conversation_id:
                return entry.position, self.estimated_wait_minutes(entry.handoff.agent_group, entry.position)
        return None

    def estimated_wait_minutes(self, group: str, position: int) -> int:
        """Position times the average handling time, spread over the group's online agents."""
        recent, online_agents = self.store.workload(RECENT_FOR_AVERAGE)
        online = [a for a in online_agents if group in a.group_list or has_role(a, "supervisor")]
        average = sum((done - start).total_seconds() for start, done in recent) / len(recent) if recent else 0
        minutes = float(average) / 60 if average else self.settings.average_handling_minutes
        capacity = max(1, sum(agent.max_concurrency for agent in online))
        return max(1, math.ceil(position * minutes / capacity))

    def active_count(self, agent_id: int) -> int:
        return self.store.active_handoff_count(agent_id)

    def claim(self, agent: Agent, conversation_id: str) -> Handoff:
        """Give the waiting conversation to `agent`, or raise ClaimRefused saying why not."""
        handoff = self.open_handoff(conversation_id)
        if handoff is None or handoff.claimed_by is not None:
            raise ClaimRefused("这个会话已经被接走或已结束")
        if agent.presence != "online":
            raise ClaimRefused("请先把状态设为在线")
        if not has_role(agent, "supervisor") and handoff.agent_group not in agent.group_list:
            raise ClaimRefused(f"这个会话属于{handoff.agent_group}组")
        if self.active_count(agent.id) >= agent.max_concurrency:
            raise ClaimRefused(f"您已同时接待 {agent.max_concurrency} 个会话，请先结束一个")
        if not self.store.claim_handoff(handoff.id, conversation_id, agent.id, utcnow()):
            raise ClaimRefused("这个会话刚刚被其他客服接走了")
        self.store.audit(agent.username, "claimed", conversation_id, handoff.agent_group)
        return self.open_handoff(conversation_id) or handoff

    def take_over(self, supervisor: Agent, conversation_id: str) -> Handoff:
        """A supervisor steps into a live bot conversation: a handoff claimed at once."""
        handoff = Handoff(conversation_id=conversation_id, trigger="takeover", reason="supervisor_takeover",
                          priority="normal", problem_class=DEFAULT_PROBLEM_CLASS,
                          agent_group=self.settings.default_group, summary=f"{supervisor.display_name} 主动接管",
                          claimed_by=supervisor.id, claimed_at=utcnow())
        if not self.store.take_over(handoff):
            raise ClaimRefused("只能接管机器人正在服务的会话")
        self.store.audit(supervisor.username, "took_over", conversation_id)
        return handoff

    def take_from_agent(self, supervisor: Agent, conversation_id: str) -> tuple[Handoff, int | None]:
        """A supervisor steps into a waiting conversation or one an agent is serving: (the handoff,
        now theirs; the agent who had it, if any)."""
        handoff = self.open_handoff(conversation_id)
        if handoff is None:
            raise ClaimRefused("这个会话没有待处理的转人工")
        previous = handoff.claimed_by
        if previous == supervisor.id:
            raise ClaimRefused("这个会话已经由您接待")
        if previous is None:
            return self.claim(supervisor, conversation_id), None
        if not self.store.reassign_handoff(handoff.id, conversation_id, previous, supervisor.id, utcnow()):
            raise ClaimRefused("这个会话刚刚有了变化，请刷新后再试")
        self.store.audit(supervisor.username, "took_over", conversation_id, f"from agent {previous}")
        return self.open_handoff(conversation_id) or handoff, previous

    def transfer(self, agent: Agent, conversation_id: str, group: str) -> Handoff:
        """Put a conversation back in the queue for another group; it keeps its original wait."""
        handoff = self.open_handoff(conversation_id)
        if handoff is None:
            raise ClaimRefused("这个会话没有待处理的转人工")
        self.store.transfer_handoff(handoff.id, conversation_id, group)
        self.store.audit(agent.username, "transferred", conversation_id, f"{handoff.agent_group} → {group}")
        return self.open_handoff(conversation_id) or handoff

    def close_open_handoff(self, conversation_id: str) -> None:
        """End an unresolved handoff without an agent's resolution (the session closed idle)."""
        self.store.close_open_handoffs(conversation_id)

    def resolve(self, agent: Agent, conversation_id: str) -> Handoff:
        """Close the handoff and give the conversation back to the bot, waiting for a rating."""
        handoff = self.open_handoff(conversation_id)
        if handoff is None:
            raise ClaimRefused("这个会话没有待处理的转人工")
        self.store.resolve_handoff(handoff.id, conversation_id)
        self.store.audit(agent.username, "resolved", conversation_id)
        return handoff
