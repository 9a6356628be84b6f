"""Invoice form: the title and tax number read from what customers type, the 90-day rule, the request."""
import asyncio
import sqlite3
from datetime import date, timedelta

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.invoice import ActionSubmitInvoice, ValidateInvoiceForm, is_personal, parse_invoice_details
from actions.policy import invoice_blocker
from actions.shop.repository import Order
from tests.actions.conftest import make_tracker, promised_tickets, run_action, slot_events, texts

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize("text, title, tax_id", [
    ("抬头 杭州青禾科技有限公司 税号91330106MA2B3C4D5E", "杭州青禾科技有限公司", "91330106MA2B3C4D5E"),
    ("杭州青禾科技有限公司，91330106ma2b3c4d5e", "杭州青禾科技有限公司", "91330106MA2B3C4D5E"),
    ("抬头是上海某某贸易商行", "上海某某贸易商行", None),
    ("个人", "个人", None),
    ("开个人的就行", "个人", None),
    ("抬头 王小明", "王小明", None),
    ("不知道", None, None),
    ("开公司的", None, None),
    ("税号 91330106MA2B3C4D5E", None, "91330106MA2B3C4D5E"),
    ("发票多久能开出来啊", None, None),
])
def test_title_and_tax_number_are_read_from_one_message(text, title, tax_id) -> None:
    assert parse_invoice_details(text) == (title, tax_id)


def test_a_personal_invoice_needs_no_tax_number() -> None:
    assert is_personal("个人") and is_personal("王小明") and not is_personal("杭州青禾科技有限公司")


def order(status: str, days_ago: int) -> Order:
    created = (TODAY - timedelta(days=days_ago)).isoformat() + " 10:00:00"
    return Order("HW2026110099", 1, status, created, None, 99.0, "浙江省杭州市", None, None)


def test_invoices_are_for_paid_kept_orders_within_ninety_days() -> None:
    assert invoice_blocker(order("已签收", 90), TODAY) is None and invoice_blocker(order("派送中", 1), TODAY) is None
    assert "超过了" in invoice_blocker(order("已签收", 91), TODAY)
    assert "还没有付款" in invoice_blocker(order("待付款", 0), TODAY)
    assert "不能开具发票" in invoice_blocker(order("已取消", 3), TODAY)


def test_the_form_asks_for_the_tax_number_only_for_a_company(shop, domain) -> None:
    form_slots = domain["forms"]["invoice_form"]["required_slots"]
    verified = {"order_number": "HW2026110003", "verified_order": "HW2026110003"}
    for title, expected in (("个人", ["order_number", "invoice_title"]),
                            ("杭州青禾科技有限公司", ["order_number", "invoice_title", "tax_id"])):
        tracker = make_tracker(sender_id="u10002", slots={**verified, "invoice_title": title})
        slots = asyncio.run(ValidateInvoiceForm().required_slots(form_slots, CollectingDispatcher(), tracker, domain))
        assert slots == expected


def test_a_company_request_is_recorded_with_its_tax_number(shop, domain) -> None:
    tracker = make_tracker(slots={"order_number": "HW2026110003", "verified_order": "HW2026110003",
                                  "invoice_title": "杭州青禾科技有限公司", "tax_id": "91330106MA2B3C4D5E"})
    messages, events = run_action(ActionSubmitInvoice(), tracker, domain)
    assert "已为您登记订单HW2026110003的发票申请" in texts(messages) and "48小时" in texts(messages)
    (ticket,) = promised_tickets(messages)
    delivered = shop.order("HW2026110003").status == "已签收"  # 48 hours promised; else after delivery: the SLA's
    assert ticket["reference"].startswith("I") and ticket["due_hours"] == (48.0 if delivered else 0.0)
    rows = sqlite3.connect(shop.db_path).execute("SELECT order_number, title, tax_id FROM invoice_requests").fetchall()
    assert rows == [("HW2026110003", "杭州青禾科技有限公司", "91330106MA2B3C4D5E")]
    assert {"event": "slot", "name": "invoice_title", "value": None, "timestamp": None} in events


def test_an_unproven_order_gets_no_invoice(shop, domain) -> None:
    tracker = make_tracker(slots={"order_number": "HW2026110003", "verified_order": None, "invoice_title": "个人"})
    messages, _ = run_action(ActionSubmitInvoice(), tracker, domain)
    assert "发票申请" not in texts(messages) and texts(messages)
    assert sqlite3.connect(shop.db_path).execute("SELECT COUNT(*) FROM invoice_requests").fetchone() == (0,)


def test_a_title_and_tax_number_given_with_the_request_are_not_asked_for_again(shop, domain) -> None:
    def run(text: str, requested: str | None):
        tracker = make_tracker(text, sender_id="u10003", active_loop="invoice_form",
                               slots={"order_number": "HW2026110179", "verified_order": "HW2026110179",
                                      "requested_slot": requested})
        return slot_events(run_action(ValidateInvoiceForm(), tracker, domain)[1])

    given = run("羊毛衫那单帮我开个发票 抬头 广州市睿联科技有限公司 税号91440101MA59KX3R2T", None)
    assert given["invoice_title"] == "广州市睿联科技有限公司" and given["tax_id"] == "91440101MA59KX3R2T"
    assert "invoice_title" not in run("保温杯那单帮我开个发票 开公司的", None), "no title yet: the form asks"
    assert "invoice_title" not in run("开发票 抬头写公司名就行", None), "no company named: the form asks"
