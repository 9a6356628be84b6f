"""Ownership checks: another customer's order is never shown."""
from actions.order_lookup import ActionShowOrder, ValidateOrderLookupForm
from actions.verification import MAX_VERIFICATION_ATTEMPTS
from tests.actions.conftest import make_tracker, run_action, slot_events, texts

FORM = "order_lookup_form"


def validate(domain, text, candidates, slots=None, sender_id="web-visitor-1"):
    tracker = make_tracker(text, slots=slots, candidates=candidates, sender_id=sender_id,
                           active_loop=FORM)
    messages, events = run_action(ValidateOrderLookupForm(), tracker, domain)
    return texts(messages), slot_events(events)


def test_malformed_order_number_gets_a_clear_answer(shop, domain) -> None:
    said, slots = validate(domain, "HW123", {"order_number": "HW123"})
    assert "格式不对" in said and "HW2026110001" in said
    assert slots["order_number"] is None


def test_unknown_order_number_gets_a_clear_answer(shop, domain) -> None:
    said, slots = validate(domain, "HW2026119999", {"order_number": "HW2026119999"})
    assert "没有查到订单号HW2026119999" in said
    assert slots["order_number"] is None


def test_a_phone_tail_given_for_the_missing_order_number_asks_to_check_the_number(shop, domain) -> None:
    said, slots = validate(domain, "尾号0000", {"order_number": "尾号0000"})
    assert "核对订单号" in said and "格式不对" not in said
    assert slots["order_number"] is None


def test_an_anonymous_sender_must_give_the_phone_tail(shop, domain) -> None:
    said, slots = validate(domain, "2026110001", {"order_number": "2026110001"})
    assert slots["order_number"] == "HW2026110001"
    assert slots["verified_order"] is None
    assert "requested_slot" not in slots  # unchanged list: Rasa asks the next slot, phone_tail


def test_the_owner_by_channel_sender_skips_the_phone_check(shop, domain) -> None:
    said, slots = validate(domain, "HW2026110001", {"order_number": "HW2026110001"}, sender_id="u10001")
    assert slots["verified_order"] == "HW2026110001"
    assert slots["requested_slot"] is None


def test_a_logged_in_customer_asking_for_someone_elses_order_is_checked(shop, domain) -> None:
    said, slots = validate(domain, "HW2026110002", {"order_number": "HW2026110002"}, sender_id="u10001")
    assert slots["verified_order"] is None
    assert "requested_slot" not in slots  # unchanged list: Rasa asks the next slot, phone_tail


def test_the_right_phone_tail_verifies(shop, domain) -> None:
    said, slots = validate(domain, "尾号5678", {"phone_tail": "尾号5678"},
                           slots={"order_number": "HW2026110001"})
    assert "核对通过" in said
    assert slots["verified_order"] == "HW2026110001"
    assert slots["requested_slot"] is None


def test_a_wrong_phone_tail_is_refused_and_counted(shop, domain) -> None:
    said, slots = validate(domain, "1234", {"phone_tail": "1234"},
                           slots={"order_number": "HW2026110001", "verification_attempts": 0})
    assert "对不上" in said
    assert slots["phone_tail"] is None
    assert slots["verification_attempts"] == 1
    assert "requested_slot" not in slots  # unchanged list: Rasa asks the next slot, phone_tail


def test_three_wrong_tails_end_the_form_and_nothing_is_shown(shop, domain) -> None:
    said, slots = validate(domain, "1234", {"phone_tail": "1234"},
                           slots={"order_number": "HW2026110001",
                                  "verification_attempts": MAX_VERIFICATION_ATTEMPTS - 1})
    assert slots["requested_slot"] is None
    tracker = make_tracker(slots={"order_number": "HW2026110001", "verified_order": None})
    messages, _ = run_action(ActionShowOrder(), tracker, domain)
    assert "身份核对没有通过" in texts(messages)
    assert "HW2026110001" not in texts(messages)


def test_verification_of_one_order_does_not_unlock_another(shop, domain) -> None:
    said, slots = validate(domain, "HW2026110003", {"order_number": "HW2026110003"},
                           slots={"verified_order": "HW2026110002", "phone_tail": "1234"})
    assert slots["verified_order"] is None and slots["phone_tail"] is None
    assert "requested_slot" not in slots  # unchanged list: Rasa asks the next slot, phone_tail


def test_a_rule_question_instead_of_an_order_number_is_answered(shop, domain, knowledge_index) -> None:
    said, slots = validate(domain, "发票最晚多久以内可以申请", {"order_number": "发票最晚多久以内可以申请"})
    assert "90" in said and "格式不对" not in said
    assert slots["order_number"] is None  # the form asks for the number again


def test_a_phone_tail_given_with_the_order_number_verifies_at_once(shop, domain) -> None:
    said, slots = validate(domain, "订单2026110002 手机尾号1234 发货了吗", {"order_number": "HW2026110002"})
    assert "核对通过" in said and slots["verified_order"] == "HW2026110002"
    said, slots = validate(domain, "订单2026110002 手机尾号9999 发货了吗", {"order_number": "HW2026110002"})
    assert slots["verified_order"] is None, "a wrong volunteered tail proves nothing; the form asks"
    said, slots = validate(domain, "2026110002 1234", {"order_number": "HW2026110002"})
    assert slots["verified_order"] is None, "four bare digits beside a number are not read as a phone tail"
