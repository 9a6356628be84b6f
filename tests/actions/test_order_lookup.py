from actions.order_lookup import ActionShowOrder
from tests.actions.conftest import make_tracker, run_action, texts


def show(domain, order_number: str) -> str:
    tracker = make_tracker(slots={"order_number": order_number, "verified_order": order_number})
    messages, events = run_action(ActionShowOrder(), tracker, domain)
    assert events == []
    return texts(messages)


def test_shipped_order_shows_carrier_tracking_and_latest_events(shop, domain) -> None:
    said = show(domain, "HW2026110001")
    assert "HW2026110001（羊毛衫）当前状态：已发货" in said
    assert "顺丰速运" in said and "SF20261100018" in said
    assert "杭州转运中心" in said
    assert "1–3天送达" in said


def test_pending_order_explains_the_dispatch_rule(shop, domain) -> None:
    said = show(domain, "HW2026110002")
    assert "待发货" in said and "16:00前付款" in said and "发货后国内一般1–3天送达" in said
    assert "运单号" not in said


def test_refund_is_reported_with_its_timing(shop, domain) -> None:
    said = show(domain, "HW2026110004")
    assert "退款369.00元，状态：退款中，原路退回支付宝" in said
    assert "1–3个工作日" in said
