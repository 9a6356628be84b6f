"""A danger told over two messages, with the real risk classifier and sentiment model."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_config
from bot.gateway.context_risk import danger_across_turns
from bot.gateway.store import Store
from bot.risk.detector import RiskDetector
from rasa_plugins.nlu.sentiment_model import SentimentModel

REPO = Path(__file__).resolve().parents[3]
CALL = "刚有人打电话说是你们客服 让我把验证码报给他 是真的吗"


@pytest.fixture(scope="module")
def models() -> tuple[RiskDetector, SentimentModel]:
    detector = RiskDetector(load_config(REPO / "kefu.yml").gateway.risk_words)
    if not detector.warm_up():
        pytest.skip("the risk classifier's e5 model is not installed (./kefu setup)")
    return detector, SentimentModel.load()


def said(store: Store, *texts: str) -> tuple[str, int]:
    conversation, _ = store.open_conversation("ctx-" + str(len(texts)) + texts[-1][:4])
    last = 0
    for text in texts:
        last = store.add_message(conversation.id, "customer", text)[0].id
    return conversation.id, last


def test_a_distressed_follow_up_to_a_scam_call_is_an_account_in_danger(tmp_path: Path, models) -> None:  # type: ignore[no-untyped-def]
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    risk, sentiment = models
    assert risk.assess("我已经报给他了！！咋办啊 急死了") is None  # alone it says nothing the check can read
    conversation, message = said(store, CALL, "我已经报给他了！！咋办啊 急死了")
    finding = danger_across_turns(store, risk, sentiment, conversation, message, "我已经报给他了！！咋办啊 急死了")
    assert finding is not None and finding.risk_class == "property_account" and finding.evidence.startswith("context:")
    calm, calm_id = said(store, CALL, "好的 明白了 谢谢")
    assert danger_across_turns(store, risk, sentiment, calm, calm_id, "好的 明白了 谢谢") is None  # not distressed
    first, first_id = said(store, "我已经报给他了！！咋办啊 急死了")
    assert danger_across_turns(store, risk, sentiment, first, first_id, "我已经报给他了！！咋办啊 急死了") is None
    store.close()


def test_the_gateway_hands_the_second_message_to_a_person(client, models) -> None:  # type: ignore[no-untyped-def]
    first = client.post("/api/chat", json={"sender": "ctx-scam", "message": CALL + "??"}).json()
    assert first["mode"] == "bot"  # a fair question: the bot answers it
    second = client.post("/api/chat", json={"sender": "ctx-scam", "message": "我已经报给他了！！咋办啊 急死了",
                                            "token": first["token"]}).json()
    assert second["mode"] == "queued"
    assert "冻结" in second["messages"][0]["text"]  # the account-danger advice first
    handoff = client.app.state.services.queue.open_handoff(second["conversation"])
    assert handoff.reason.startswith("risk:property_account:context:")
