"""Push assignment in-process against a Rasa stand-in: a waiting conversation of a push group is
offered to the least loaded agent of its group; declined or left to lapse, it goes to the next;
accepted, it is theirs. Groups not in `desk.push_groups` keep waiting for a claim."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.gateway.agents import create_agent
from bot.gateway.app import create_app
from tests.bot.gateway.conftest import AGENT_PASSWORD as PASSWORD
from tests.bot.gateway.conftest import login, write_config
from tests.bot.gateway.rasa_standin import RasaStandin


@pytest.fixture()
def client(tmp_path: Path, rasa: RasaStandin) -> Iterator[TestClient]:
    app = create_app(write_config(tmp_path, rasa.port, desk={"push_groups": ["咨询"], "offer_seconds": 3}))
    store = app.state.services.store
    create_agent(store, "busy", PASSWORD, "agent", "咨询", "忙碌")
    create_agent(store, "free", PASSWORD, "agent", "咨询", "空闲")
    create_agent(store, "other", PASSWORD, "agent", "售后", "售后组")
    with TestClient(app) as test_client:
        yield test_client



def ask_for_a_person(client: TestClient, sender: str) -> str:
    return client.post("/api/chat", json={"sender": sender, "message": "转人工"}).json()["conversation"]


def offers(client: TestClient, headers: dict[str, str]) -> list[dict]:
    return client.get("/api/console/offers", headers=headers).json()["offers"]


def test_offers_go_to_the_least_loaded_agent_then_the_next(client: TestClient) -> None:
    busy, free, other = login(client, "busy"), login(client, "free"), login(client, "other")
    first = ask_for_a_person(client, "push-1")
    [(loaded, offer)] = [(agent, o) for agent in (busy, free) for o in offers(client, agent)]  # one offer, one agent
    accepted = client.post(f"/api/console/offers/{offer['id']}/accept", headers=loaded)
    assert accepted.status_code == 200 and accepted.json()["conversation"] == first
    idle = free if loaded is busy else busy

    second = ask_for_a_person(client, "push-2")  # the agent with nothing on their hands gets it
    [offer] = offers(client, idle)
    assert offer["conversation"] == second and offer["group"] == "咨询" and offers(client, other) == []
    declined = client.post(f"/api/console/offers/{offer['id']}/decline", headers=idle)
    assert declined.status_code == 200
    [offer] = offers(client, loaded)  # declined: the next agent of the group
    assert offer["conversation"] == second
    time.sleep(4.5)  # offer_seconds is 3 in this test: it lapses
    assert offers(client, loaded) == []
    queue = client.get("/api/console/queue", headers=idle).json()["queue"]
    assert [entry["conversation"] for entry in queue] == [second]  # everyone refused it: it waits for a claim
    assert client.post(f"/api/console/conversations/{second}/claim", headers=idle).status_code == 200
    answers = [o.answer for o in client.app.state.services.store.offers_of_handoff(
        client.app.state.services.queue.open_handoff(second).id)]
    assert answers == ["declined", "expired"]


def test_an_accepted_offer_cannot_be_taken_twice_and_others_cannot_accept_it(client: TestClient) -> None:
    free, busy = login(client, "free"), login(client, "busy")
    ask_for_a_person(client, "push-3")
    [(owner, offer)] = [(agent, o) for agent in (free, busy) for o in offers(client, agent)]
    stranger = busy if owner is free else free
    assert client.post(f"/api/console/offers/{offer['id']}/accept", headers=stranger).status_code == 409
    assert client.post(f"/api/console/offers/{offer['id']}/accept", headers=owner).status_code == 200
    assert client.post(f"/api/console/offers/{offer['id']}/accept", headers=owner).status_code == 409


def test_a_claim_group_is_not_pushed(client: TestClient) -> None:
    other = login(client, "other")
    client.post("/api/chat", json={"sender": "push-vip", "message": "VIP 转人工"})  # 投诉类 → 投诉 group: claim mode
    assert offers(client, other) == []
    assert client.get("/api/console/desk", headers=other).json()["push_groups"] == ["咨询"]
