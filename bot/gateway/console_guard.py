"""Defences of the agent console: login throttling with lock-out, CSRF on cookie sessions, the
password policy, and the warning about demo accounts whose passwords are published.

Throttling counts failed logins in the audit log (each is audited with the client's address), so
it holds across gateway restarts and replicas. While an account or an address is locked out even
the right password is refused, so guessing gains nothing.

CSRF: a browser sends the session cookie with any request, also one a hostile page makes it send.
A state-changing console call authenticated by the cookie must also carry the `X-Kefu-CSRF`
header with the value of the `kefu_csrf` cookie, which only pages of the console's own origin can
read (double submit). Bearer-token calls (scripts, tests) carry no ambient credential and need none.
"""
from __future__ import annotations

import hmac
import logging
import re
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Request

from bot.gateway.agents import DEMO_AGENTS, HASHER
from bot.gateway.models import utcnow
from bot.gateway.store import Store

logger = logging.getLogger("kefu.gateway.console")

LOCKOUT_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
CSRF_COOKIE, CSRF_HEADER = "kefu_csrf", "x-kefu-csrf"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MIN_PASSWORD_CHARS = 10
COMMON_PASSWORDS = {"password123", "1234567890", "qwertyuiop", "kefu123456", "admin12345", "password1234"}


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def locked_out(store: Store, username: str, address: str) -> bool:
    """Too many failed logins lately for this account, or from this address."""
    since = utcnow() - LOCKOUT_WINDOW
    return (store.count_audit("login_failed", since, actor=username) >= MAX_FAILURES_PER_ACCOUNT
            or store.count_audit("login_failed", since, detail=f"from {address}") >= MAX_FAILURES_PER_ADDRESS)


def csrf_refusal(request: Request) -> str | None:
    """Why a cookie-authenticated state-changing request is refused, or None when it may go on."""
    if request.method in SAFE_METHODS or request.headers.get("authorization", "").lower().startswith("bearer "):
        return None
    expected, given = request.cookies.get(CSRF_COOKIE), request.headers.get(CSRF_HEADER)
    if not expected or not given or not hmac.compare_digest(expected.encode(), given.encode()):
        return "missing or wrong X-Kefu-CSRF header"
    return None


def password_problem(username: str, password: str) -> str | None:
    """What is wrong with a new password, in words for whoever chose it; None when it is fine."""
    classes = sum(bool(re.search(pattern, password)) for pattern in (r"[A-Za-z]", r"\d", r"[^A-Za-z\d]"))
    if len(password) < MIN_PASSWORD_CHARS:
        return f"the password needs at least {MIN_PASSWORD_CHARS} characters"
    if classes < 2:
        return "the password needs two kinds of characters (letters, digits, other signs)"
    if username and username.lower() in password.lower():
        return "the password may not contain the username"
    if password.lower() in COMMON_PASSWORDS:
        return "that password is too common"
    return None


def demo_accounts_in_use(store: Store) -> list[str]:
    """The demo accounts that still have their published password (docs/handoff.md)."""
    found = []
    for username, *_, password in DEMO_AGENTS:
        agent = store.agent_by_name(username)
        if agent is None:
            continue
        try:
            HASHER.verify(agent.password_hash, password)
            found.append(username)
        except (VerificationError, InvalidHashError):
            continue
    return found
