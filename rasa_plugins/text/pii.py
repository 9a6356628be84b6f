"""Personal data in free text: one detector for the whole code base (logs, exports, agent views).

Finds mainland mobile numbers, resident ID-card numbers (18 characters, the ISO 7064 MOD 11-2
check digit and a plausible birth date), bank-card numbers (13–19 digits passing Luhn), e-mail
addresses, and credentials in URLs (`token=`, `identity=`: a conversation token or a signed
identity in a WebSocket URL an access log writes). Checksums keep order numbers and amounts,
which are digits too, from being masked: HW2026110001 or 20261100012 is not a card.

`mask_pii` keeps what a person needs to recognise the value (a phone's first three and last four
digits, a card's last four, an ID's region and last four) and hides the rest. Standard library
only: both Python processes import it (see rasa_plugins/__init__.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, List

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3})([\dXx])(?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![0-9A-Za-z])(\d(?:[ -]?\d){12,18})(?![0-9A-Za-z])")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_URL_SECRET = re.compile(r"\b(token|identity|password|jwt)=([^&\s\"']+)", re.IGNORECASE)


@dataclass(frozen=True)
class PiiFinding:
    kind: str  # mobile | id_card | bank_card | email | url_secret
    start: int
    end: int


def id_card_valid(number: str) -> bool:
    """The check digit and a real birth date (1900 to today) of an 18-character ID number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS))
    if ID_CHECK[total % 11] != number[17].upper():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _masked_card(match: "re.Match[str]") -> str:
    digits = re.sub(r"\D", "", match.group(1))
    if not 13 <= len(digits) <= 19 or not luhn_valid(digits) or len(set(digits)) == 1:
        return match.group(0)
    return "*" * (len(digits) - 4) + digits[-4:]


def _masked_id(match: "re.Match[str]") -> str:
    number = "".join(match.groups())
    return match.group(1)[:3] + "*" * 11 + number[-4:] if id_card_valid(number) else match.group(0)


def _masked_email(match: "re.Match[str]") -> str:
    return f"{match.group(1)}***@{match.group(2)}"


MASKERS: List[Callable[[str], str]] = [
    lambda text: _URL_SECRET.sub(lambda m: f"{m.group(1)}=***", text),
    lambda text: _ID_CARD.sub(_masked_id, text),  # before cards: an ID card is 18 digits too
    lambda text: _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text),
    lambda text: _CARD.sub(_masked_card, text),
    lambda text: _EMAIL.sub(_masked_email, text),
]


def mask_pii(text: str) -> str:
    """The text with every personal value found masked (see the module's docstring)."""
    for masker in MASKERS:
        text = masker(text)
    return text


def find_pii(text: str) -> List[PiiFinding]:
    """Every unmasked personal value in the text, for checks such as the CI's scan of the logs."""
    found: List[PiiFinding] = []
    for match in _ID_CARD.finditer(text):
        if id_card_valid("".join(match.groups())):
            found.append(PiiFinding("id_card", match.start(), match.end()))
    for match in _MOBILE.finditer(text):
        found.append(PiiFinding("mobile", match.start(), match.end()))
    for match in _CARD.finditer(text):
        if _masked_card(match) != match.group(0):
            found.append(PiiFinding("bank_card", match.start(), match.end()))
    for match in _EMAIL.finditer(text):
        found.append(PiiFinding("email", match.start(), match.end()))
    for match in _URL_SECRET.finditer(text):
        if match.group(2) != "***":
            found.append(PiiFinding("url_secret", match.start(), match.end()))
    return found
