from actions.form_prompts import PROMPTS, AskOrderNumber
from tests.actions.conftest import make_tracker, run_action


def test_every_required_slot_of_every_form_has_a_question(domain) -> None:
    for form, spec in domain["forms"].items():
        for slot in spec["required_slots"]:
            assert f"action_ask_{slot}" in domain["actions"], (form, slot)
            assert len(PROMPTS[slot]) >= 2, slot


def test_a_question_is_one_of_its_variations(domain) -> None:
    messages, events = run_action(AskOrderNumber(), make_tracker(), domain)
    assert messages[0]["text"] in PROMPTS["order_number"] and events == []
