"""The cancel form's submit action: a request while the parcel is in the warehouse, advice after."""
import sqlite3

from actions.cancellation import ActionSubmitCancel
from tests.actions.conftest import make_tracker, promised_tickets, run_action, texts


def verified(order_number: str):
    return make_tracker(slots={"order_number": order_number, "verified_order": order_number})


def test_an_order_not_yet_shipped_gets_a_cancellation_request(shop, domain) -> None:
    messages, _ = run_action(ActionSubmitCancel(), verified("HW2026110002"), domain)
    said = texts(messages)
    assert "已为您提交订单HW2026110002的取消申请" in said and "原路退回" in said, said
    rows = sqlite3.connect(shop.db_path).execute("SELECT order_number, status_then FROM cancel_requests").fetchall()
    assert rows == [("HW2026110002", "待发货")]
    (ticket,) = promised_tickets(messages)
    assert ticket["reference"].startswith("C") and ticket["problem_class"] == "操作类" and ticket["due_hours"] == 0, \
        "no time named in words: the SLA table's deadline"


def test_a_shipped_order_is_not_cancelled_and_the_customer_hears_the_alternatives(shop, domain) -> None:
    messages, _ = run_action(ActionSubmitCancel(), verified("HW2026110001"), domain)
    assert "拒收" in texts(messages) and "取消申请" not in texts(messages)
    assert promised_tickets(messages) == [], "advice is no promise"
    assert sqlite3.connect(shop.db_path).execute("SELECT COUNT(*) FROM cancel_requests").fetchone() == (0,)


def test_an_unproven_order_is_refused(shop, domain) -> None:
    tracker = make_tracker(slots={"order_number": "HW2026110002", "verified_order": None})
    messages, _ = run_action(ActionSubmitCancel(), tracker, domain)
    assert "取消申请" not in texts(messages) and texts(messages)
