"""Conversation modes through the real app over HTTP, with a Rasa stand-in served on a port."""
from __future__ import annotations

from fastapi.testclient import TestClient

from bot.gateway.risk import RISK_REPLIES
from bot.handoff import NOT_UNDERSTOOD_TEXT
from tests.bot.gateway.conftest import put_agent_on_duty
from tests.bot.gateway.rasa_standin import GREETING, RasaStandin, guest


def chat(client: TestClient, sender: str, message: str, **extra: str) -> dict:
    response = client.post("/api/chat", json={"sender": sender, "message": message, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def transcript(client: TestClient, body: dict) -> list[tuple[str, str | None]]:
    answer = client.get(f"/api/conversations/{body['conversation']}/messages", params={"token": body["token"]})
    return [(m["role"], m["text"]) for m in answer.json()["messages"]]


def test_bot_mode_relays_to_rasa_and_stores_both_sides(client: TestClient) -> None:
    first = chat(client, "r1", "你好")
    assert first["mode"] == "bot" and first["messages"] == [{"text": GREETING}]
    assert transcript(client, first) == [("customer", "你好"), ("bot", GREETING)]


def test_handoff_payload_queues_and_the_bot_no_longer_gets_messages(client: TestClient, rasa: RasaStandin) -> None:
    put_agent_on_duty(client)
    first = chat(client, "r2", "我要转人工")
    assert first["mode"] == "queued"
    assert first["queue"] == {"position": 1, "wait_minutes": 2}  # 6 minutes over the agent's 3 slots
    assert "custom" not in first["messages"][1], "the handoff payload is for the gateway, not the customer"
    assert first["messages"][-1] == {"text": "您前面还有0位，预计等待约2分钟。等待时可以继续留言，客服接入后会看到。"}
    events_before = len(rasa.trackers[guest(first)]["events"])
    later = chat(client, "r2", "订单号A1001，快点", token=first["token"])
    assert later["mode"] == "queued" and later["queue"]["position"] == 1
    assert later["messages"] == [{"text": "您的消息已收到，人工客服接入后会第一时间看到。您前面还有0位，预计等待约2分钟。"}]
    assert len(rasa.trackers[guest(first)]["events"]) == events_before, "nothing reaches the bot while queued"
    assert transcript(client, first)[-2] == ("customer", "订单号A1001，快点")


def test_a_turn_the_bot_left_without_words_still_gets_an_answer(client: TestClient) -> None:
    for message in ("不知所云", "只有引用"):
        body = chat(client, f"r-silent-{message}", message)
        assert body["mode"] == "bot"
        assert [m.get("text") for m in body["messages"]][-1] == NOT_UNDERSTOOD_TEXT
        assert transcript(client, body)[-1] == ("bot", NOT_UNDERSTOOD_TEXT)


def test_an_explicit_request_for_a_person_hands_off_whatever_the_classifier_read(client: TestClient) -> None:
    put_agent_on_duty(client)
    body = chat(client, "explicit", "人工服务 您好 在吗")  # the stand-in's classifier reads a greeting
    texts = [m.get("text") for m in body["messages"] if m.get("text")]
    assert body["mode"] == "queued" and texts[0] == GREETING and "转接人工客服" in texts[1], texts
    about = chat(client, "about-people", "人工服务时间是几点")
    assert about["mode"] == "bot" and [m.get("text") for m in about["messages"]] == [GREETING], \
        "a question about the service is no request for a person"


def test_risk_word_hands_off_even_when_the_bot_does_not(client: TestClient, rasa: RasaStandin) -> None:
    body = chat(client, "r3", "再不处理我就去12315")
    assert body["mode"] == "queued"
    assert body["messages"][0] == {"text": "已为您优先转接人工客服，请稍候。"}
    assert "现在人工客服都不在线" in body["messages"][-1]["text"], "nobody is online: no wait is promised"
    assert rasa.trackers[guest(body)]["paused"] is True


def test_danger_in_ordinary_words_reaches_a_person_before_the_bot_answers(client: TestClient, rasa: RasaStandin) -> None:
    body = chat(client, "r3b", "孩子把玩具上掉下来的小零件吞下去了")
    assert body["mode"] == "queued"
    assert body["messages"][0] == {"text": RISK_REPLIES["safety_health"]} and len(body["messages"]) == 2
    assert all(e.get("text") != "孩子把玩具上掉下来的小零件吞下去了" for e in rasa.trackers[guest(body)]["events"]), \
        "the bot never answered it"


def test_an_address_with_a_risk_word_in_it_stays_with_the_bot(client: TestClient) -> None:
    assert chat(client, "r3c", "北京市朝阳区法院东路7号院3单元")["mode"] == "bot"


def test_an_answer_to_the_bots_request_for_an_address_is_not_read_for_risk(client: TestClient) -> None:
    address = "广州市天河区报警中心旁边3单元"
    assert chat(client, "r3d", address)["mode"] == "queued", "on its own it reads as a call for the police"
    first = chat(client, "r3e", "我要改地址")
    body = chat(client, "r3e", address, token=first["token"])
    assert body["mode"] == "bot" and body["messages"] == [{"text": "地址已修改。"}]
    asked = chat(client, "r3f", "我要改地址")
    threat = chat(client, "r3f", "都一个多星期了 再拖我就去消协投诉你们", token=asked["token"])
    assert threat["mode"] == "queued", "a message with no digit in it is no address: it is read for risk"


def test_citations_come_back_next_to_the_answer(client: TestClient) -> None:
    body = chat(client, "r4", "怎么退货")
    assert body["messages"][0] == {"text": "支持七天无理由退货。"}
    assert body["messages"][1]["custom"]["citations"][0]["title"] == "退换货政策"


def test_a_customer_reads_only_their_own_conversation(client: TestClient) -> None:
    mine = chat(client, "r5", "你好")
    other = chat(client, "r6", "你好")
    stolen = client.get(f"/api/conversations/{mine['conversation']}/messages", params={"token": other["token"]})
    assert stolen.status_code == 404 and stolen.json()["error"] == "not_found"
    wrong = client.post("/api/chat", json={"sender": "r5", "message": "hi", "token": other["token"]})
    assert wrong.status_code == 403 and wrong.json()["error"] == "wrong_token"


def test_a_resent_message_is_processed_once(client: TestClient, rasa: RasaStandin) -> None:
    first = chat(client, "r7", "你好", client_id="m-1")
    chat(client, "r7", "你好", client_id="m-1", token=first["token"])
    assert transcript(client, first) == [("customer", "你好"), ("bot", GREETING)]
    assert len([e for e in rasa.trackers[guest(first)]["events"] if e["event"] == "user"]) == 1


def test_a_queued_customer_who_withdraws_goes_back_to_the_bot(client: TestClient, rasa: RasaStandin) -> None:
    first = chat(client, "r-withdraw", "我要转人工")
    assert first["mode"] == "queued"
    back = chat(client, "r-withdraw", "算了 问你个事 你好", token=first["token"])
    assert back["mode"] == "bot" and back["messages"] == [{"text": GREETING}], "what follows goes to the bot"
    assert rasa.trackers[guest(first)]["paused"] is False
    assert rasa.trackers[guest(first)]["events"][-1]["text"] == "你好"
    again = chat(client, "r-withdraw2", "我要转人工")
    left = chat(client, "r-withdraw2", "不用人工了", token=again["token"])
    assert left["mode"] == "bot" and "已为您取消排队" in left["messages"][0]["text"]
    waiting = chat(client, "r-withdraw3", "我要转人工")
    assert chat(client, "r-withdraw3", "怎么还没人", token=waiting["token"])["mode"] == "queued"
