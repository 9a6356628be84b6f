"""50 customers and 5 agents at once through the gateway served by uvicorn (Rasa stand-in)."""
from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets

from bot.gateway.agents import create_agent
from bot.gateway.store import Store
from tests.bot.gateway.live_gateway import LiveGateway
from tests.bot.gateway.rasa_standin import RasaStandin

CUSTOMERS, AGENTS, PASSWORD = 50, 5, "agent-pass-1"


@pytest.fixture()
def gateway(tmp_path: Path, rasa: RasaStandin) -> Iterator[LiveGateway]:
    live = LiveGateway(tmp_path, rasa.port, rate_limit_per_minute=100)
    live.database.parent.mkdir(parents=True)
    store = Store(f"sqlite:///{live.database}")
    for index in range(AGENTS):
        create_agent(store, f"a{index}", PASSWORD, "agent", "咨询", f"客服{index}", max_concurrency=CUSTOMERS)
    store.close()
    yield live.start()
    live.stop()


async def customer(url: str, index: int, agent_replies: dict[int, str]) -> str:
    async with websockets.connect(f"{url}/ws/chat?sender=load-{index}") as socket:
        hello = json.loads(await socket.recv())
        for number, text in enumerate(["你好", "我要转人工"]):
            await socket.send(json.dumps({"type": "message", "client_id": f"{index}-{number}", "text": text}))
        while True:
            event = json.loads(await asyncio.wait_for(socket.recv(), timeout=60))
            if event.get("type") == "message" and event["message"]["role"] == "agent":
                agent_replies[index] = event["message"]["text"]
                return hello["conversation"]


async def agent(url: str, index: int, claimed: list[str], done: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        token = (await http.post("/api/console/login", json={"username": f"a{index}", "password": PASSWORD})).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        while not done.is_set():
            queue = (await http.get("/api/console/queue", headers=headers)).json()["queue"]
            for entry in queue:
                answer = await http.post(f"/api/console/conversations/{entry['conversation']}/claim", headers=headers)
                if answer.status_code == 200:
                    claimed.append(entry["conversation"])
                    await http.post(f"/api/console/conversations/{entry['conversation']}/messages",
                                    headers=headers, json={"text": f"a{index} 为您服务"})
            await asyncio.sleep(0.05)


async def load(url: str) -> tuple[list[str], list[str], dict[int, str]]:
    ws_url = url.replace("http://", "ws://")
    claimed: list[str] = []
    replies: dict[int, str] = {}
    done = asyncio.Event()
    agents = [asyncio.create_task(agent(url, i, claimed, done)) for i in range(AGENTS)]
    conversations = await asyncio.gather(*(customer(ws_url, i, replies) for i in range(CUSTOMERS)))
    done.set()
    await asyncio.gather(*agents)
    return list(conversations), claimed, replies


def test_fifty_customers_five_agents_nothing_lost_nothing_claimed_twice(gateway: LiveGateway) -> None:
    conversations, claimed, replies = asyncio.run(load(gateway.url))
    assert len(set(conversations)) == CUSTOMERS
    assert sorted(claimed) == sorted(conversations), "each conversation claimed exactly once"
    assert len(replies) == CUSTOMERS and all(text.endswith("为您服务") for text in replies.values())
    store = Store(f"sqlite:///{gateway.database}")
    for conversation in conversations:
        roles = [m.role for m in store.messages(conversation)]
        assert roles.count("customer") == 2 and roles.count("agent") == 1, roles
    store.close()
