"""The shared personal-data detector and the log masking built on it."""
from __future__ import annotations

import logging

import pytest
from uvicorn.logging import AccessFormatter

from rasa_plugins.text import log_masking
from rasa_plugins.text.pii import find_pii, id_card_valid, luhn_valid, mask_pii

VALID_ID = "11010519491231002X"  # the check digit of GB 11643's own example


@pytest.mark.parametrize(("text", "masked"), [
    ("我手机13812345678", "我手机138****5678"),
    ("电话 138-1234-5678 谢谢", "电话 138****5678 谢谢"),
    (f"身份证{VALID_ID}", "身份证110***********002X"),
    ("卡号 4111 1111 1111 1111", "卡号 ************1111"),
    ("邮箱 li.lei@example.com", "邮箱 l***@example.com"),
    ("GET /ws/chat?sender=a&token=s3cr3t&identity=eyJ.a.b", "GET /ws/chat?sender=a&token=***&identity=***"),
])
def test_personal_values_are_masked_keeping_what_identifies_them(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
    assert find_pii(text) and not find_pii(masked), "found before, nothing left after"


@pytest.mark.parametrize("text", [
    "订单HW2026110001到哪了", "2026110002", "退款金额 1299.00 元", "时间戳 1733550000123",
    "11010519491231002Y",  # wrong check digit: not an ID card
    "4111 1111 1111 1112",  # fails Luhn: not a card
    "尾号5678", "0000000000000000",
])
def test_order_numbers_amounts_and_near_misses_are_left_alone(text: str) -> None:
    assert mask_pii(text) == text and find_pii(text) == []


def test_checksums() -> None:
    assert id_card_valid(VALID_ID) and not id_card_valid("110105194912310021")
    assert not id_card_valid("110105189912310029"), "a birth date before 1900 is not plausible"
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")


def test_every_log_record_is_masked_and_uvicorns_access_formatter_still_works(
        caplog: pytest.LogCaptureFixture) -> None:
    log_masking.install()
    log_masking.install()  # idempotent: one wrapper
    caplog.set_level(logging.INFO)
    logging.getLogger("kefu.test").info("customer said %r", "我手机13812345678")
    record = logging.getLogRecordFactory()("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                                           ("127.0.0.1:5", "GET", "/ws/chat?token=abc", "1.1", 200), None)
    formatted = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False).format(record)
    assert formatted == '127.0.0.1:5 - "GET /ws/chat?token=*** HTTP/1.1" 200 OK'
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text
