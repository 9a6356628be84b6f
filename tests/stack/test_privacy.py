"""Personal data a customer types never reaches the services' logs unmasked.

At their default levels the services do not log message texts at all (the gateway runs uvicorn
without its access log); every record that does mention a value is masked where it is made
(rasa_plugins/text/log_masking.py, unit-tested with real loggers and uvicorn's formatter in
tests/rasa_plugins/text/test_pii.py). This test is the property over a real stack's logs after a
conversation full of personal data; tests/log_scan.py checks every log of the whole run the same way."""
from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx

from bot.privacy.purge import purge
from bot.stack_process import RunningStack
from tests.stack.test_scenarios import Customer

PHONE, ID_NUMBER, EMAIL = "13812345678", "110101199003074514", "li.lei@example.com"


def logs_text(stack: RunningStack) -> str:
    folder = Path(stack.config.path(stack.config.paths.var)) / "logs"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in folder.glob("*.log"))


def test_personal_data_in_a_message_is_masked_in_every_log(running_stack: RunningStack) -> None:
    customer = Customer(running_stack)
    for question in (f"我手机{PHONE} 你们招聘客服吗", f"身份证{ID_NUMBER} 邮箱{EMAIL} 你们能寄到火星吗",
                     f"订单HW2026110001 手机{PHONE}"):
        assert customer.says(question).strip(), "the customer gets an answer"
    time.sleep(1.0)  # the services write their logs on their own time
    text = logs_text(running_stack)
    assert text, "the services wrote logs"
    for value in (PHONE, ID_NUMBER, EMAIL):
        assert value not in text, f"{value} is in a log"


def test_erasing_an_account_empties_both_stores_of_the_real_stack(running_stack: RunningStack) -> None:
    account = f"u-erase-{uuid.uuid4().hex[:8]}"
    customer = Customer(running_stack, account=account)
    customer.says(f"你好 我的手机是{PHONE}")
    tracker_url = f"{running_stack.rasa}/conversations/{account}/tracker"
    said = [e for e in httpx.get(tracker_url, timeout=30).json()["events"] if e["event"] == "user"]
    assert said, "Rasa's tracker store holds the turn"
    report = purge(running_stack.config, account=account)
    assert report.conversations == 1 and report.messages >= 2 and report.tracker_events > 0, report
    assert not [e for e in httpx.get(tracker_url, timeout=30).json()["events"] if e["event"] == "user"]
    transcript = httpx.get(f"{running_stack.gateway}/api/conversations/{customer.last['conversation']}/messages",
                           params={"token": customer.token}, timeout=30)
    assert transcript.status_code == 404, "the gateway's copy is gone too"
