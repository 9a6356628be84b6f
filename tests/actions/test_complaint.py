"""Complaints follow LAMA: listen, apologise (and restate), make it right, appreciate."""
from actions.complaint import ActionSubmitComplaint, ValidateComplaintForm
from tests.actions.conftest import make_tracker, run_action, slot_events, texts


def test_the_detail_is_acknowledged_with_an_apology_and_restated(shop, domain) -> None:
    detail = "快递员把包裹扔在门口还不打电话"
    tracker = make_tracker(detail, intent="complaint", candidates={"complaint_detail": detail},
                           active_loop="complaint_form")
    messages, events = run_action(ValidateComplaintForm(), tracker, domain)
    assert "非常抱歉" in texts(messages) and detail in texts(messages)
    assert slot_events(events)["complaint_detail"] == detail


def test_a_too_short_detail_is_asked_again(shop, domain) -> None:
    tracker = make_tracker("差", candidates={"complaint_detail": "差"}, active_loop="complaint_form")
    messages, events = run_action(ValidateComplaintForm(), tracker, domain)
    assert slot_events(events)["complaint_detail"] is None
    assert "具体" in texts(messages)


def submit(domain, sender_id: str, detail: str, resolution: str = "退款"):
    tracker = make_tracker(resolution, sender_id=sender_id,
                           slots={"complaint_detail": detail, "complaint_resolution": resolution})
    return run_action(ActionSubmitComplaint(), tracker, domain)


def test_the_complaint_is_recorded_with_an_owner_deadline_and_thanks(shop, domain) -> None:
    messages, events = submit(domain, "u10002", "赠品一直没补发")
    said = texts(messages)
    assert "单号C000001" in said and "24小时内" in said and "感谢您" in said
    row = shop._connection.execute("SELECT detail, wanted_resolution, priority FROM complaints").fetchone()
    assert row == ("赠品一直没补发", "退款", "normal")
    assert slot_events(events) == {"complaint_detail": None, "complaint_resolution": None}
    (ticket,) = [m["custom"]["ticket"] for m in messages if (m.get("custom") or {}).get("ticket")]
    assert (ticket["reference"], ticket["due_hours"], ticket["problem_class"]) == ("C000001", 24.0, "投诉类"), \
        "the promise (24 hours) is kept by a ticket with that deadline"


def test_a_diamond_member_gets_high_priority_and_one_hour(shop, domain) -> None:
    messages, _ = submit(domain, "u10001", "赠品一直没补发")
    assert "1小时内" in texts(messages)
    assert [m["custom"]["ticket"]["due_hours"] for m in messages if (m.get("custom") or {}).get("ticket")] == [1.0]
    assert shop._connection.execute("SELECT priority FROM complaints").fetchone() == ("high",)


def test_a_threat_to_go_public_escalates_to_a_person(shop, domain) -> None:
    messages, events = submit(domain, "u10002", "再不处理我就找媒体曝光")
    handoff = next(m["custom"]["handoff"] for m in messages if (m.get("custom") or {}).get("handoff"))
    assert handoff["reason"] == "complaint_escalation" and handoff["priority"] == "high"
    assert handoff["problem_class"] == "投诉类" and "找媒体曝光" in handoff["summary"]
    assert events[-1]["event"] == "pause"
