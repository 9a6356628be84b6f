"""Every promise is kept by a ticket: each action that records a request somebody must act on also
sends the ticket request (actions/promises.py), and a deadline named in words is the ticket's."""
from __future__ import annotations

import ast
from pathlib import Path

from actions.returns import ActionSubmitReturn
from tests.actions.conftest import make_tracker, promised_tickets, run_action

ACTIONS = Path(__file__).resolve().parents[2] / "actions"
RECORDS_A_REQUEST = ("create_cancel_request", "create_price_protection_request", "create_invoice_request",
                     "create_return_request", "record_complaint")


def calls_in(function: ast.AST) -> set[str]:
    return {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for node in ast.walk(function) if isinstance(node, ast.Call)}


def test_every_function_that_records_a_request_keeps_its_promise_with_a_ticket() -> None:
    recording = []
    for module in sorted(ACTIONS.glob("*.py")):
        for function in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                calls = calls_in(function)
                if calls & set(RECORDS_A_REQUEST):
                    recording.append(module.name)
                    assert "keep_promise" in calls, f"{module.name}:{function.name} records a request without a ticket"
    assert sorted(recording) == ["cancellation.py", "complaint.py", "invoice.py", "price_protection.py", "returns.py"]


def test_an_accepted_return_is_kept_by_a_ticket_a_refused_one_is_not(shop, domain) -> None:
    def submit(order_number: str, reason: str) -> list:
        tracker = make_tracker(slots={"order_number": order_number, "verified_order": order_number,
                                      "return_reason": reason, "item_condition": "未拆封"})
        return run_action(ActionSubmitReturn(), tracker, domain)[0]

    (ticket,) = promised_tickets(submit("HW2026110003", "尺码不合适"))
    assert ticket["reference"] == "R000001" and ticket["problem_class"] == "操作类"
    assert promised_tickets(submit("HW2026110005", "尺码不合适")) == [], "a refused return promises nothing"


FOLLOW_UP = ("跟进", "回电给您", "联系您", "给您回复", "回复您", "通知您")


def test_no_fixed_response_promises_a_follow_up_it_cannot_keep() -> None:
    """A response in domain.yml cannot open a ticket; a promise of a follow-up belongs in an action
    that keeps it (actions/promises.py)."""
    import yaml

    domain = yaml.safe_load((ACTIONS.parent / "domain.yml").read_text(encoding="utf-8"))
    promising = [(name, variant["text"]) for name, variants in domain["responses"].items() for variant in variants
                 if any(words in (variant.get("text") or "") for words in FOLLOW_UP)]
    assert promising == []
