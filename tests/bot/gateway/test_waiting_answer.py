"""A customer waiting for a person still gets the bot's grounded answer to a question it can answer
(bot/gateway/waiting_answer.py), in-process against a Rasa stand-in and the real knowledge index."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.waiting_answer import WAITING_PREFIX, asks_a_question
from tests.bot.gateway.conftest import write_config
from tests.bot.gateway.rasa_standin import RasaStandin


@pytest.fixture()
def client(tmp_path: Path, rasa: RasaStandin, knowledge_paths: dict[str, str]) -> Iterator[TestClient]:
    app = create_app(write_config(tmp_path, rasa.port, paths=knowledge_paths))
    with TestClient(app) as test_client:
        assert app.state.services.suggester.warm_up()
        yield test_client


class Guest:
    def __init__(self, client: TestClient, sender: str) -> None:
        self.client, self.sender, self.token = client, sender, None

    def says(self, text: str) -> dict:
        reply = self.client.post("/api/chat", json={"sender": self.sender, "message": text, "token": self.token})
        assert reply.status_code == 200, reply.text
        self.token = self.token or reply.json().get("token")
        return reply.json()


def test_a_question_asked_while_waiting_is_answered_and_the_wait_goes_on(client: TestClient) -> None:
    guest = Guest(client, "waiting-1")
    assert guest.says("转人工")["mode"] == "queued"
    reply = guest.says("退货寄回去的运费谁来出？")
    answer, queued = reply["messages"][0], reply["messages"][-1]
    assert answer["text"].startswith(WAITING_PREFIX) and "顾客承担" in answer["text"], reply["messages"]
    assert answer["custom"]["citations"][0]["doc_id"] == "return-shipping-fee"
    assert reply["mode"] == "queued" and queued["text"] and not queued["text"].startswith(WAITING_PREFIX), \
        "the customer still hears where they stand in the queue"


def test_what_is_not_a_question_or_not_known_gets_only_the_queue_message(client: TestClient) -> None:
    guest = Guest(client, "waiting-2")
    guest.says("转人工")
    for text in ("订单号2026110003 鞋底开胶了", "快点", "你们卖不卖二手车？"):
        said = [m.get("text") or "" for m in guest.says(text)["messages"]]
        assert len(said) == 1 and not said[0].startswith(WAITING_PREFIX), (text, said)


def test_a_conversation_handed_off_for_a_risk_is_left_to_the_person(client: TestClient) -> None:
    guest = Guest(client, "waiting-3")
    assert guest.says("你们再不处理我就报警了")["mode"] == "queued"
    said = [m.get("text") or "" for m in guest.says("退货寄回去的运费谁来出？")["messages"]]
    assert not any(text.startswith(WAITING_PREFIX) for text in said), said


def test_the_question_shape() -> None:
    assert asks_a_question("退款几天到账") and asks_a_question("how long does a refund take")
    assert not asks_a_question("快点") and not asks_a_question("订单号2026110003 鞋底开胶了")
