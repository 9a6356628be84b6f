"""Withdrawing the request just filed: which words take it back, and what the actions do."""
import sqlite3

import pytest
from rasa_sdk.events import FollowupAction

from actions.cancellation import ActionSubmitCancel
from actions.withdrawal import SLOT, ActionAcknowledgeStop, ActionSubmitWithdrawal, parse_filed, withdraws
from tests.actions.conftest import make_tracker, promised_tickets, run_action, slot_events, texts


@pytest.mark.parametrize("kind, text", [
    ("cancel", "哎算了算了 还是先不取消了 我再想想"), ("cancel", "别取消了 东西我还要"), ("cancel", "那个取消申请撤回吧"),
    ("cancel", "算了 还是要的"), ("return", "算了 不退了 留着穿"), ("return", "不用换了"),
    ("invoice", "发票先不开了"), ("invoice", "不要发票了"), ("price_protect", "价保不申请了 太麻烦"),
])
def test_words_that_take_a_request_back(kind: str, text: str) -> None:
    assert withdraws(text, kind)


@pytest.mark.parametrize("kind, text", [
    ("cancel", "不用了"), ("cancel", "没有了 谢谢"), ("cancel", "不是"), ("cancel", "我还要问一下运费的事"),
    ("return", "不对"), ("invoice", "不用了谢谢"), ("price_protect", "不是这个"), ("cancel", "不退了"),
])
def test_a_plain_no_takes_nothing_back(kind: str, text: str) -> None:
    assert not withdraws(text, kind), "a 'no' to 还有其他需要吗 must not undo what the customer asked for"


def test_the_slot_value_must_be_whole() -> None:
    assert parse_filed("cancel|C2|HW2026110002") == ("cancel", "C2", "HW2026110002")
    for broken in (None, "", "cancel|C2", "teleport|X1|HW1", "cancel||HW1"):
        assert parse_filed(broken) is None


def test_a_filed_cancellation_is_remembered_and_withdrawn(shop, domain) -> None:
    tracker = make_tracker(slots={"order_number": "HW2026110002", "verified_order": "HW2026110002"})
    _, events = run_action(ActionSubmitCancel(), tracker, domain)
    remembered = slot_events(events)[SLOT]
    assert parse_filed(remembered)[::2] == ("cancel", "HW2026110002")

    changed_mind = make_tracker("哎算了算了 还是先不取消了 我再想想", intent="stop", slots={SLOT: remembered})
    messages, events = run_action(ActionAcknowledgeStop(), changed_mind, domain)
    assert messages == [] and events == [FollowupAction("action_submit_withdrawal")]

    messages, events = run_action(ActionSubmitWithdrawal(), changed_mind, domain)
    reference = parse_filed(remembered)[1]
    assert f"已为您撤回订单HW2026110002的取消申请（申请编号{reference}）" in texts(messages) and "照常发货" in texts(messages)
    (ticket,) = promised_tickets(messages)
    assert ticket["withdrawn"] is True and ticket["reference"] == reference
    assert slot_events(events) == {SLOT: None}, "one withdrawal per request"
    rows = sqlite3.connect(shop.db_path).execute("SELECT reference, order_number FROM request_withdrawals").fetchall()
    assert rows == [(reference, "HW2026110002")]
    run_action(ActionSubmitWithdrawal(), make_tracker(slots={SLOT: remembered}), domain)
    assert shop.withdrawn(reference), "withdrawing twice is harmless"


def test_a_plain_no_after_a_filed_request_only_closes_the_topic(shop, domain) -> None:
    tracker = make_tracker("不用了", intent="deny", slots={SLOT: "cancel|C7|HW2026110002"})
    messages, events = run_action(ActionAcknowledgeStop(), tracker, domain)
    assert [m.get("response") for m in messages] == ["utter_anything_else"] and events == []


def test_nothing_to_withdraw_is_said_plainly(shop, domain) -> None:
    messages, events = run_action(ActionSubmitWithdrawal(), make_tracker("不取消了", intent="stop"), domain)
    assert "还没有提交过申请" in texts(messages) and promised_tickets(messages) == [] and events == []
