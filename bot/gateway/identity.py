"""Who a customer is. The gateway trusts an account id only from an identity token the shop signed.

A shop's own site or app, where the customer has logged in, signs a short-lived JWT (HS256 with a
secret shared with Kefu, or RS256 with the site's private key) whose claims are `sub` (the account
id), `exp`, and optionally `name` and `tier`. The widget and the APIs pass it as `identity`. A
customer without a valid token is a guest: the bot knows them by a random id the gateway chose, and
an order is theirs only after the phone check. The `sender` a client sends is never an identity.

`kefu identity sign ACCOUNT` signs a token with the configured HS256 secret, for trying the
widget as a logged-in customer and for the tests and evaluations that play identified customers.
"""
from __future__ import annotations

import logging
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from bot.config import ConfigError, KefuConfig

logger = logging.getLogger("kefu.gateway.identity")

ACCOUNT_ID = re.compile(r"^[A-Za-z0-9_.@:-]{1,128}$")
MAX_TOKEN_CHARS = 4096
GUEST_PREFIX = "guest-"  # the bot's names for guests (Conversation.bot_sender): never an account


@dataclass(frozen=True)
class VerifiedCustomer:
    account: str
    name: str | None = None
    tier: str | None = None


class IdentityRefused(Exception):
    """An identity token that proves nothing: forged, expired, malformed or for someone else."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


def key_path(config: KefuConfig) -> Path:
    if config.identity.key_file:
        return config.path(config.identity.key_file)
    return config.path(config.paths.var) / "identity.key"


def _create_secret(path: Path) -> None:
    """Write a random secret (mode 0600) under a temporary name, then link it into place: a reader
    never sees a half-written file, and of two processes creating it at once one wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(draft, path)
        logger.warning("made a new identity secret in %s: give it to your site to sign customers' identity "
                       "tokens (docs/security.md)", path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def shared_secret(config: KefuConfig) -> str:
    """The HS256 secret, made once when the key file is missing."""
    path = key_path(config)
    if not path.exists():
        _create_secret(path)
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < 32:
        raise ConfigError(f"identity.key_file {path}: an HS256 secret needs at least 32 characters")
    return secret


def verification_key(config: KefuConfig) -> str:
    if config.identity.algorithm == "HS256":
        return shared_secret(config)
    path = key_path(config)
    if not path.exists():
        raise ConfigError(f"identity.key_file {path} does not exist: RS256 needs the shop site's public key (PEM)")
    key = path.read_text(encoding="utf-8")
    if "PUBLIC KEY" not in key:
        raise ConfigError(f"identity.key_file {path}: RS256 needs a PEM public key ('-----BEGIN PUBLIC KEY-----')")
    return key


class IdentityVerifier:
    """Checks identity tokens against kefu.yml's `identity` settings; the key is read once."""

    def __init__(self, config: KefuConfig) -> None:
        self.settings = config.identity
        self.key = verification_key(config)

    def verify(self, token: str) -> VerifiedCustomer:
        if not token or len(token) > MAX_TOKEN_CHARS:
            raise IdentityRefused("invalid_identity", "empty or oversized token")
        options: dict[str, Any] = {"require": ["exp", "sub"], "verify_aud": bool(self.settings.audience)}
        try:
            claims = jwt.decode(token, self.key, algorithms=[self.settings.algorithm], options=options,
                                leeway=self.settings.leeway_s, audience=self.settings.audience or None,
                                issuer=self.settings.issuer or None)
        except jwt.ExpiredSignatureError as error:
            raise IdentityRefused("expired_identity", str(error)) from error
        except jwt.PyJWTError as error:
            raise IdentityRefused("invalid_identity", f"{type(error).__name__}: {error}") from error
        account = claims.get("sub")
        if not isinstance(account, str) or not ACCOUNT_ID.match(account) or account.startswith(GUEST_PREFIX):
            raise IdentityRefused("invalid_identity", "sub is not an account id")
        if float(claims["exp"]) - time.time() > self.settings.max_lifetime_hours * 3600 + self.settings.leeway_s:
            raise IdentityRefused("invalid_identity", "the token lives longer than identity.max_lifetime_hours")
        return VerifiedCustomer(account, _short(claims.get("name")), _short(claims.get("tier")))


def _short(value: Any) -> str | None:
    return str(value)[:64] if isinstance(value, (str, int)) and str(value).strip() else None


def sign_identity(config: KefuConfig, account: str, minutes: float = 60.0, **claims: Any) -> str:
    """An HS256 identity token for `account`, signed with the configured secret (the shop's side)."""
    if config.identity.algorithm != "HS256":
        raise ConfigError("kefu can sign identity tokens only with HS256; with RS256 your site signs them")
    now = int(time.time())
    body = {"sub": account, "iat": now, "exp": now + int(minutes * 60), **claims}
    if config.identity.issuer:
        body.setdefault("iss", config.identity.issuer)
    if config.identity.audience:
        body.setdefault("aud", config.identity.audience)
    return jwt.encode(body, shared_secret(config), algorithm="HS256")
