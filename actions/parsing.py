"""Normalise what customers type: order numbers and phone tails, full-width digits included."""
import re
from typing import Optional

from rasa_plugins.text.normalize import fold_full_width
from rasa_plugins.text.pii import mask_pii

_ORDER_WITH_PREFIX = re.compile(r"[Hh]\s*[Ww]\s*[-_]?\s*(\d{10})(?!\d)")
_ORDER_DIGITS = re.compile(r"(?<!\d)(\d{10})(?!\d)")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def normalize_order_number(text: str) -> Optional[str]:
    """Return `HW` + 10 digits from 'hw2026110001', 'HW 2026110001' or bare digits, else None."""
    text = fold_full_width(text)
    match = _ORDER_WITH_PREFIX.search(text) or _ORDER_DIGITS.search(text.replace(" ", ""))
    return f"HW{match.group(1)}" if match else None


def parse_phone_tail(text: str) -> Optional[str]:
    """The last four digits of a phone: from '尾号5678', '5678' or a full mobile number."""
    text = fold_full_width(text).replace(" ", "")
    phone = _PHONE.search(text)
    if phone:
        return phone.group(1)[-4:]
    tails = _FOUR_DIGITS.findall(text)
    return tails[-1] if len(tails) == 1 else None


_MARKED_TAIL = re.compile(r"(尾号|后四位|后4位|手机号?|电话)[^\d]{0,4}(\d{4})(?!\d)")


def marked_phone_tail(text: str) -> Optional[str]:
    """A phone tail the customer volunteered alongside something else ("订单… 手机尾号1234 发货没"):
    only one marked as such (尾号, 后四位, 手机) or a full mobile number, never any four digits."""
    text = fold_full_width(text)
    phone = _PHONE.search(text)
    if phone:
        return phone.group(1)[-4:]
    marked = _MARKED_TAIL.search(text)
    return marked.group(2) if marked else None


def mask_phone_numbers(text: str) -> str:
    """Hide personal values (the middle of mobile numbers, ID and bank-card numbers, e-mail) in text
    that agents and logs will see, with the one shared detector (rasa_plugins/text/pii.py)."""
    return mask_pii(text)
