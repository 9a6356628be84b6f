from actions.address_change import ActionSubmitAddressChange, ValidateAddressChangeForm
from tests.actions.conftest import make_tracker, run_action, slot_events, texts

NEW_ADDRESS = "北京市海淀区中关村大街1号3单元502"


def test_address_of_a_pending_order_is_changed_in_the_database(shop, domain) -> None:
    tracker = make_tracker(slots={"order_number": "HW2026110002", "verified_order": "HW2026110002",
                                  "new_address": NEW_ADDRESS})
    messages, events = run_action(ActionSubmitAddressChange(), tracker, domain)
    assert NEW_ADDRESS in texts(messages)
    assert shop.order("HW2026110002").address == NEW_ADDRESS
    assert slot_events(events) == {"new_address": None}


def test_a_dispatched_order_keeps_its_address_and_the_carrier_is_suggested(shop, domain) -> None:
    tracker = make_tracker(slots={"order_number": "HW2026110001", "verified_order": "HW2026110001",
                                  "new_address": NEW_ADDRESS})
    messages, _ = run_action(ActionSubmitAddressChange(), tracker, domain)
    assert "已经从仓库发出" in texts(messages) and "改派" in texts(messages)
    assert shop.order("HW2026110001").address != NEW_ADDRESS


def test_incomplete_addresses_are_rejected_and_prefixes_stripped(shop, domain) -> None:
    def validate(text: str):
        tracker = make_tracker(text, candidates={"new_address": text},
                               slots={"order_number": "HW2026110002", "verified_order": "HW2026110002"},
                               active_loop="address_change_form")
        messages, events = run_action(ValidateAddressChangeForm(), tracker, domain)
        return slot_events(events)["new_address"], texts(messages)

    value, said = validate("公司")
    assert value is None and "不完整" in said
    assert validate("改到" + NEW_ADDRESS)[0] == NEW_ADDRESS


def test_an_address_given_with_the_request_or_the_phone_digits_is_not_asked_for_again(shop, domain) -> None:
    def run(text: str, requested: str):
        tracker = make_tracker(text, slots={"order_number": "HW2026110002", "verified_order": "HW2026110002",
                                            "requested_slot": requested}, active_loop="address_change_form")
        return slot_events(run_action(ValidateAddressChangeForm(), tracker, domain)[1])

    assert run("能不能帮我把地址改成北京市海淀区中关村大街27号 我公司收", "order_number")["new_address"] \
        == "北京市海淀区中关村大街27号"
    assert run("4238 改到乌鲁木齐市水磨沟区南湖东路8号", "phone_tail")["new_address"] == "乌鲁木齐市水磨沟区南湖东路8号"
    assert "new_address" not in run("地址要改一下", "order_number"), "no address given: the form asks"
