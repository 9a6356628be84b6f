"""Push assignment under load with the real gateway process (Rasa stand-in): 50 customers of three
groups and 5 agents with different skills and limits, who accept every offer and finish each
conversation after a moment. Checked: every conversation went to an agent with its group's skill;
no agent ever held more than their limit; and no conversation waited, without an open offer, while
an agent of its group had room and no offer in hand (sampled from the database during the run; a
state must last over 2 s to count, longer than one pass of the once-a-second dispatcher)."""
from __future__ import annotations

import random
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from bot.gateway.agents import create_agent
from bot.gateway.store import Store
from tests.bot.gateway.live_gateway import LiveGateway
from tests.bot.gateway.rasa_standin import RasaStandin

pytestmark = pytest.mark.slow
AGENTS = {  # username: (groups, limit)
    "load-a": ("咨询", 2), "load-b": ("咨询,售后", 3), "load-c": ("售后", 1),
    "load-d": ("投诉", 2), "load-e": ("咨询,投诉", 1),
}
PASSWORD = "assignment under load"
CUSTOMERS = 50
PERSISTS_S = 2.0


def run_agent(url: str, username: str, stop: threading.Event, errors: list[str]) -> None:
    """Log in; accept every offer; finish each conversation 0.5–2 s after taking it."""
    rng = random.Random(username)
    with httpx.Client(base_url=url, timeout=30) as client:
        token = client.post("/api/console/login", json={"username": username, "password": PASSWORD}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        finishing: list[tuple[float, str]] = []
        while not stop.is_set():
            for offer in client.get("/api/console/offers", headers=headers).json()["offers"]:
                taken = client.post(f"/api/console/offers/{offer['id']}/accept", headers=headers)
                if taken.status_code == 200:
                    finishing.append((time.monotonic() + rng.uniform(0.5, 2.0), offer["conversation"]))
                elif taken.status_code != 409:  # 409: lapsed or withdrawn meanwhile, which may happen
                    errors.append(f"{username}: accept {taken.status_code} {taken.text}")
            for due, conversation in [item for item in finishing if item[0] <= time.monotonic()]:
                finishing.remove((due, conversation))
                done = client.post(f"/api/console/conversations/{conversation}/resolve", headers=headers)
                if done.status_code != 200:
                    errors.append(f"{username}: resolve {done.status_code} {done.text}")
            time.sleep(0.2)


def idle_while_waiting(engine, skills: dict[int, tuple[set[str], int]]) -> set[int]:  # type: ignore[no-untyped-def]
    """Handoffs waiting with no open offer while an agent of their group has room and no offer."""
    with engine.connect() as db:
        waiting = db.execute(text("SELECT h.id, h.agent_group FROM handoffs h JOIN conversations c ON c.id = h.conversation_id "
                                  "WHERE h.claimed_by IS NULL AND h.resolved_at IS NULL AND c.mode = 'queued'")).all()
        offered = {row[0] for row in db.execute(text("SELECT handoff_id FROM offers WHERE answer IS NULL"))}
        holding = {row[0] for row in db.execute(text("SELECT agent_id FROM offers WHERE answer IS NULL"))}
        active = dict(db.execute(text("SELECT claimed_by, COUNT(*) FROM handoffs WHERE claimed_by IS NOT NULL "
                                      "AND resolved_at IS NULL GROUP BY claimed_by")).all())
        online = {row[0] for row in db.execute(text("SELECT id FROM agents WHERE presence = 'online'"))}
    free = [agent for agent, (groups, limit) in skills.items()
            if agent in online and agent not in holding and active.get(agent, 0) < limit]
    return {handoff for handoff, group in waiting if handoff not in offered
            and any(group in skills[agent][0] for agent in free)}


def test_fifty_customers_five_agents(tmp_path: Path, rasa: RasaStandin) -> None:
    gateway = LiveGateway(tmp_path, rasa.port, desk={"push_groups": ["咨询", "售后", "投诉"], "offer_seconds": 5},
                          rate_limit_per_minute=1000)
    gateway.database.parent.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{gateway.database}")
    skills = {}
    for username, (groups, limit) in AGENTS.items():
        agent = create_agent(store, username, PASSWORD, "agent", groups, username, max_concurrency=limit)
        skills[agent.id] = (set(groups.split(",")), limit)
    store.close()
    gateway.start()
    engine = create_engine(f"sqlite:///{gateway.database}")
    stop, errors = threading.Event(), []
    agents = [threading.Thread(target=run_agent, args=(gateway.url, name, stop, errors)) for name in AGENTS]
    for thread in agents:
        thread.start()
    time.sleep(1.0)  # everyone logged in
    seen_since: dict[int, float] = {}
    violations: set[int] = set()
    try:
        asks = ["转人工", "东西坏了 转人工", "VIP 转人工"]
        for number in range(CUSTOMERS):
            reply = httpx.post(f"{gateway.url}/api/chat", json={"sender": f"load-{number}", "message": asks[number % 3]},
                               timeout=30)
            assert reply.status_code == 200 and reply.json()["mode"] == "queued", reply.text
            time.sleep(0.1)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            now = time.monotonic()
            idle = idle_while_waiting(engine, skills)
            seen_since = {h: seen_since.get(h, now) for h in idle}
            violations |= {h for h, since in seen_since.items() if now - since > PERSISTS_S}
            with engine.connect() as db:
                open_count = db.execute(text("SELECT COUNT(*) FROM handoffs WHERE resolved_at IS NULL")).scalar()
            if open_count == 0:
                break
            time.sleep(0.25)
    finally:
        stop.set()
        for thread in agents:
            thread.join(timeout=30)
        gateway.stop()
    assert not errors, errors[:5]
    assert not violations, f"handoffs {sorted(violations)} waited while a suitable agent had room"
    with engine.connect() as db:
        handoffs = db.execute(text("SELECT agent_group, claimed_by, claimed_at, resolved_at FROM handoffs")).all()
    engine.dispose()
    assert len(handoffs) == CUSTOMERS
    assert all(claimed is not None and resolved is not None for _, claimed, _, resolved in handoffs)
    for group, claimed, _, _ in handoffs:
        assert group in skills[claimed][0], f"a {group} conversation went to agent {claimed} {skills[claimed]}"
    for agent, (_, limit) in skills.items():
        events = sorted([(datetime.fromisoformat(str(start)), 1) for _, by, start, _ in handoffs if by == agent]
                        + [(datetime.fromisoformat(str(end)), -1) for _, by, _, end in handoffs if by == agent],
                        key=lambda event: (event[0], event[1]))  # an end before a start at the same instant
        held = peak = 0
        for _, change in events:
            held += change
            peak = max(peak, held)
        assert peak <= limit, f"agent {agent} held {peak} conversations at once, limit {limit}"
    assert {claimed for _, claimed, _, _ in handoffs} == set(skills)  # every agent worked


def test_the_waiting_check_catches_conversations_nobody_is_offered(tmp_path: Path, rasa: RasaStandin) -> None:
    """The control for the check above: in claim mode, with agents online and idle, it must fire."""
    gateway = LiveGateway(tmp_path, rasa.port)
    gateway.database.parent.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{gateway.database}")
    agent = create_agent(store, "load-idle", PASSWORD, "agent", "咨询,售后", "idle", max_concurrency=2)
    store.close()
    gateway.start()
    engine = create_engine(f"sqlite:///{gateway.database}")
    try:
        httpx.post(f"{gateway.url}/api/console/login", json={"username": "load-idle", "password": PASSWORD}, timeout=30)
        for number, ask in enumerate(["转人工", "东西坏了 转人工", "VIP 转人工"]):
            httpx.post(f"{gateway.url}/api/chat", json={"sender": f"idle-{number}", "message": ask}, timeout=30)
        assert len(idle_while_waiting(engine, {agent.id: ({"咨询", "售后"}, 2)})) == 2  # not the 投诉 one
    finally:
        engine.dispose()
        gateway.stop()
