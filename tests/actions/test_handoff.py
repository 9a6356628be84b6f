"""The handoff payload the gateway routes on, and the paused conversation."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from actions.handoff import ActionHandoff, build_handoff, handoff_message
from bot.service_hours import ServiceHours, ServiceSettings
from tests.actions.conftest import make_tracker, run_action, user_turn


def handoff(domain, tracker):
    messages, events = run_action(ActionHandoff(), tracker, domain)
    payload = next(m["custom"]["handoff"] for m in messages if m.get("custom"))
    return payload, events, messages


def test_an_explicit_request_gives_a_complete_payload_and_pauses(shop, domain) -> None:
    payload, events, messages = handoff(domain, make_tracker("转人工", intent="request_human"))
    assert set(payload) == {"reason", "priority", "problem_class", "summary"}
    assert payload["reason"] == "customer_request"
    assert payload["priority"] == "normal"
    assert payload["problem_class"] == "咨询类"
    assert "「转人工」" in payload["summary"]
    assert messages[0]["text"]
    assert events == [{"event": "pause", "timestamp": None}]


def test_the_problem_class_comes_from_the_last_meaningful_intent(shop, domain) -> None:
    history = [user_turn("你好", "greet"), user_turn("快递一直不动", "logistics_delay")]
    payload, _, _ = handoff(domain, make_tracker("人工", intent="request_human", history=history))
    assert payload["problem_class"] == "故障类"
    assert "logistics_delay → request_human" in payload["summary"]


def test_complaints_and_vip_customers_get_high_priority(shop, domain) -> None:
    complaint = [user_turn("我要投诉", "complaint")]
    payload, _, _ = handoff(domain, make_tracker("转人工", intent="request_human", history=complaint))
    assert (payload["problem_class"], payload["priority"]) == ("投诉类", "high")
    payload, _, _ = handoff(domain, make_tracker("转人工", intent="request_human", sender_id="u10001"))
    assert payload["priority"] == "high"
    assert "王女士（钻石）" in payload["summary"]


def test_repeated_fallback_and_accepted_offer_reasons(shop, domain) -> None:
    assert build_handoff(make_tracker("啊这个那个", intent="nlu_fallback"))["reason"] == "repeated_fallback"
    assert build_handoff(make_tracker("好的", intent="affirm"))["reason"] == "accepted_offer"


def test_the_summary_carries_slots_and_masks_phone_numbers(shop, domain) -> None:
    tracker = make_tracker("我电话13800005678 快点转人工", intent="request_human",
                           slots={"order_number": "HW2026110001", "product": "羊毛衫"})
    summary = build_handoff(tracker)["summary"]
    assert "order_number=HW2026110001" in summary and "product=羊毛衫" in summary
    assert "138****5678" in summary and "13800005678" not in summary


def test_an_active_form_is_closed_before_pausing(shop, domain) -> None:
    tracker = make_tracker("转人工", intent="request_human", active_loop="return_form")
    _, events, _ = handoff(domain, tracker)
    assert [event["event"] for event in events] == ["active_loop", "pause"]
    assert events[0]["name"] is None


def test_service_hours_are_read_in_the_shops_timezone_not_the_servers() -> None:
    hours = ServiceHours(ServiceSettings(timezone="Asia/Shanghai", opens="09:00", closes="22:00"))
    shanghai = ZoneInfo("Asia/Shanghai")
    # 05:18 UTC is 13:18 in Shanghai: people are at work, whatever zone the server's clock is in
    assert "正在为您转接" in handoff_message(hours, datetime(2026, 11, 23, 5, 18, tzinfo=timezone.utc))
    late = handoff_message(hours, datetime(2026, 11, 23, 22, 0, tzinfo=shanghai))
    assert "每天09:00–22:00" in late and "明天09:00" in late and "正在为您转接" not in late
    early = handoff_message(hours, datetime(2026, 11, 23, 8, 59, tzinfo=shanghai))
    assert "今天09:00" in early


def test_a_question_about_the_people_is_answered_and_a_request_still_hands_off(shop, domain, knowledge_index) -> None:
    from actions.handoff import asks_about_people
    from actions.knowledge_service import shared_service

    shared_service().warm_up()
    messages, events = run_action(ActionHandoff(), make_tracker("你们人工客服电话是多少", intent="request_human"), domain)
    assert "400-820-8820" in messages[0]["text"] and "转人工" in messages[-1]["text"]
    assert not any(m.get("custom", {}).get("handoff") for m in messages if m.get("custom"))
    assert {"event": "pause", "timestamp": None} not in events
    for text in ("转人工", "人工客服在吗", "给我接个真人 几点都行", "什么时候才有人工"):
        assert not asks_about_people(text), text
    assert asks_about_people("周末人工上班吗")


def test_a_question_about_the_people_inside_a_form_resumes_the_form(shop, domain, knowledge_index) -> None:
    from actions.knowledge_service import shared_service

    shared_service().warm_up()
    tracker = make_tracker("先问下你们人工几点下班", intent="request_human", active_loop="order_lookup_form")
    _, events = run_action(ActionHandoff(), tracker, domain)
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "order_lookup_form"}
