"""Push assignment (智能路由): a waiting conversation of a push group is offered to the best agent
available, who accepts or declines; an offer not answered in `desk.offer_seconds` goes to the next.

Best: an agent of the conversation's group (skills), online with a live session, below their
concurrency limit and holding no other offer; the least loaded first, then who has waited longest
since their last conversation. Conversations go in queue order (priority, then wait). An agent who
declined or let an offer lapse is not offered that conversation again; when everyone has, it waits
in the queue, where any agent of the group may still claim it (claim mode works for every group).
`dispatch` is one pass; the gateway runs it after every handoff, transfer, resolution and presence
change, and every second for the deadlines. Accepting is a claim (queue.py), so two agents can
never both get a conversation.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from bot.desk_settings import DeskSettings
from bot.gateway.hub import Hub
from bot.gateway.models import Agent, Handoff, utcnow
from bot.gateway.models_desk import Offer
from bot.gateway.queue import ClaimRefused, HandoffQueue, QueueEntry
from bot.gateway.store import Store

logger = logging.getLogger("kefu.gateway.assignment")


def offer_dict(offer: Offer, entry: QueueEntry | None = None) -> dict[str, Any]:
    shown = {"id": offer.id, "conversation": offer.conversation_id, "handoff": offer.handoff_id,
             "expires_at": offer.expires_at.isoformat() + "Z",
             "seconds_left": max(0, round((offer.expires_at - utcnow()).total_seconds()))}
    if entry is not None:
        shown.update(group=entry.handoff.agent_group, priority=entry.handoff.priority,
                     summary=entry.handoff.summary, reason=entry.handoff.reason,
                     waiting_seconds=round(entry.wait_seconds))
    return shown


class Assigner:
    def __init__(self, store: Store, queue: HandoffQueue, hub: Hub, settings: DeskSettings) -> None:
        self.store, self.queue, self.hub, self.settings = store, queue, hub, settings

    def pushes(self, group: str) -> bool:
        return group in self.settings.push_groups

    async def dispatch(self) -> list[Offer]:
        """Close lapsed or moot offers, then offer every unoffered waiting conversation of a push
        group to its best agent. Returns the offers made."""
        if not self.settings.push_groups:
            return []
        now = utcnow()
        waiting = {entry.handoff.id: entry for entry in self.queue.waiting() if self.pushes(entry.handoff.agent_group)}
        open_offers = []
        agents = self.store.online_agents()
        online = {agent.id for agent in agents}
        for offer in self.store.open_offers():
            if offer.handoff_id not in waiting or offer.agent_id not in online:
                await self._close(offer, "withdrawn")  # claimed by hand, left the queue, or the agent went away
            elif offer.expires_at <= now:
                await self._close(offer, "expired")
            else:
                open_offers.append(offer)
        offered = {offer.handoff_id for offer in open_offers}
        unoffered = [entry for handoff_id, entry in waiting.items() if handoff_id not in offered]
        if not unoffered:
            return []
        busy = {offer.agent_id for offer in open_offers}
        # what ranks the agents is read once per pass: offers claim nothing, so it holds for the whole pass
        ranks = self._ranks(agents)
        made = []
        for entry in unoffered:
            handoff_id = entry.handoff.id
            refused = {offer.agent_id for offer in self.store.offers_of_handoff(handoff_id)}
            agent = self.best_agent(entry.handoff, agents, ranks, busy | refused)
            if agent is None:
                continue
            offer = self.store.add_offer(Offer(handoff_id=handoff_id, conversation_id=entry.handoff.conversation_id,
                                               agent_id=agent.id, expires_at=now + timedelta(seconds=self.settings.offer_seconds)))
            busy.add(agent.id)
            made.append(offer)
            self.store.audit("system", "offered", entry.handoff.conversation_id, agent.username)
            await self.hub.to_agent(agent.id, {"type": "offer", "offer": offer_dict(offer, entry)})
        return made

    def _ranks(self, agents: list[Agent]) -> dict[int, tuple[float, datetime] | None]:
        """Each online agent's (load share, last conversation taken), or None when at their limit."""
        last_claims = self.store.last_claims()
        ranks: dict[int, tuple[float, datetime] | None] = {}
        for agent in agents:
            load = self.queue.active_count(agent.id)
            ranks[agent.id] = None if load >= agent.max_concurrency else \
                (load / agent.max_concurrency, last_claims.get(agent.id) or datetime.min)
        return ranks

    @staticmethod
    def best_agent(handoff: Handoff, agents: list[Agent], ranks: dict[int, tuple[float, datetime] | None],
                   excluded: set[int]) -> Agent | None:
        """Of the group, with room and not excluded: the least loaded, then the longest since their last."""
        candidates = [(rank, agent.id, agent) for agent in agents
                      if agent.id not in excluded and handoff.agent_group in agent.group_list
                      and (rank := ranks.get(agent.id)) is not None]
        return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None

    async def _close(self, offer: Offer, answer: str) -> None:
        if self.store.answer_offer(offer.id, answer):
            self.store.audit("system", f"offer_{answer}", offer.conversation_id, str(offer.agent_id))
            await self.hub.to_agent(offer.agent_id, {"type": "offer_closed", "offer": offer.id, "answer": answer})

    def offers_for(self, agent: Agent) -> list[dict[str, Any]]:
        """The agent's open offers (a console that reconnects shows them again)."""
        entries = {entry.handoff.id: entry for entry in self.queue.waiting()}
        now = utcnow()
        return [offer_dict(offer, entries.get(offer.handoff_id)) for offer in self.store.open_offers()
                if offer.agent_id == agent.id and offer.expires_at > now and offer.handoff_id in entries]

    def accept(self, agent: Agent, offer_id: int) -> Handoff:
        """Claim the offered conversation; ClaimRefused says why not (not yours, lapsed, taken)."""
        offer = self.store.offer(offer_id)
        if offer is None or offer.agent_id != agent.id:
            raise ClaimRefused("没有这个分配给您的会话")
        if offer.answer is not None or offer.expires_at <= utcnow():
            raise ClaimRefused("这个分配已经超时或已处理，会话已转给其他客服")
        if not self.store.answer_offer(offer.id, "accepted"):
            raise ClaimRefused("这个分配已经超时或已处理")
        self.store.audit(agent.username, "offer_accepted", offer.conversation_id)
        return self.queue.claim(agent, offer.conversation_id)

    async def decline(self, agent: Agent, offer_id: int) -> None:
        offer = self.store.offer(offer_id)
        if offer is None or offer.agent_id != agent.id:
            raise ClaimRefused("没有这个分配给您的会话")
        if self.store.answer_offer(offer.id, "declined"):
            self.store.audit(agent.username, "offer_declined", offer.conversation_id)
        await self.dispatch()


async def run_assigner(assigner: Assigner, every_seconds: float = 1.0) -> None:
    """The deadlines: lapsed offers go to the next agent within about a second."""
    if not assigner.settings.push_groups:
        return
    while True:
        await asyncio.sleep(every_seconds)
        try:
            await assigner.dispatch()
        except Exception:  # noqa: BLE001 - a bad pass must not stop assignment for good
            logger.exception("assignment pass failed")
