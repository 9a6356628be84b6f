"""Who a customer is: only an identity token the shop signed names an account (bot/gateway/identity.py).

Each attack is refused, and the refusal is in the audit log. The Rasa stand-in records which id
the bot was told: an account id reaches the bot only from a verified token.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from bot.config import ConfigError, KefuConfig
from bot.gateway.app import create_app
from bot.gateway.identity import IdentityRefused, IdentityVerifier, key_path, sign_identity
from tests.bot.gateway.conftest import write_config
from tests.bot.gateway.rasa_standin import RasaStandin, guest


def hs256_by_hand(key: bytes, claims: dict) -> str:
    """A JWT signed HS256 with any key; PyJWT itself refuses to use a PEM public key as a secret."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
    return head + "." + b64(hmac.new(key, head.encode(), hashlib.sha256).digest())


def audited(client: TestClient, action: str) -> list[str]:
    return [entry.detail for entry in client.app.state.services.store.audit_log() if entry.action == action]


def test_a_known_account_id_as_sender_is_a_guest_to_the_bot(client: TestClient, rasa: RasaStandin) -> None:
    body = client.post("/api/chat", json={"sender": "u10001", "message": "查一下我的订单"}).json()
    assert "verified" not in body
    assert guest(body) in rasa.trackers and "u10001" not in rasa.trackers, "the bot never hears the claimed id"


def test_a_signed_identity_makes_the_conversation_the_accounts_own(client: TestClient, gateway_config: KefuConfig,
                                                                    rasa: RasaStandin) -> None:
    identity = sign_identity(gateway_config, "u10001", name="张三")
    body = client.post("/api/chat", json={"message": "你好", "identity": identity}).json()
    assert body["verified"] is True and body["sender"] == "u10001"
    assert "u10001" in rasa.trackers
    again = client.post("/api/chat", json={"message": "在吗", "identity": identity}).json()
    assert again["conversation"] == body["conversation"], "the identity, not the conversation token, continues it"
    spoof = client.post("/api/chat", json={"sender": "u10001", "message": "在吗"}).json()
    assert spoof["conversation"] != body["conversation"] and "verified" not in spoof


@pytest.mark.parametrize("forge", ["other_secret", "expired", "alg_none", "no_expiry", "lives_too_long", "garbage",
                                   "a_guests_name"])
def test_forged_or_expired_identity_tokens_are_refused_and_audited(client: TestClient, forge: str) -> None:
    now = int(time.time())
    claims = {"sub": "u10001", "exp": now + 600}
    token = {
        "other_secret": lambda: jwt.encode(claims, "x" * 48, algorithm="HS256"),
        "expired": lambda: jwt.encode({**claims, "exp": now - 3600}, _secret(client), algorithm="HS256"),
        "alg_none": lambda: jwt.encode(claims, None, algorithm="none"),
        "no_expiry": lambda: jwt.encode({"sub": "u10001"}, _secret(client), algorithm="HS256"),
        "lives_too_long": lambda: jwt.encode({**claims, "exp": now + 400 * 86400}, _secret(client), algorithm="HS256"),
        "garbage": lambda: "not.a.token",
        "a_guests_name": lambda: jwt.encode({**claims, "sub": "guest-0123"}, _secret(client), algorithm="HS256"),
    }[forge]()
    response = client.post("/api/chat", json={"sender": "u10001", "message": "我的订单", "identity": token})
    assert response.status_code == 401
    assert response.json()["error"] in ("invalid_identity", "expired_identity")
    assert "重新登录" in response.json()["message"]
    assert len(audited(client, "identity_refused")) == 1


def _secret(client: TestClient) -> str:
    return client.app.state.services.identity.key


def test_the_websocket_refuses_a_bad_identity_and_treats_a_claimed_id_as_a_guest(
        client: TestClient, gateway_config: KefuConfig) -> None:
    owner = client.post("/api/chat", json={"message": "上次的问题",
                                           "identity": sign_identity(gateway_config, "u10002")}).json()
    client.app.state.services.store.set_mode(owner["conversation"], "closed")
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect("/ws/chat?sender=u10002&identity=forged.token.here") as socket:
            socket.receive_json()
    assert refused.value.code == 4401
    with client.websocket_connect("/ws/chat?sender=u10002") as socket:
        hello = socket.receive_json()
    assert hello["verified"] is False and hello["history"] == [], "no earlier session of the account"
    identity = sign_identity(gateway_config, "u10002")
    with client.websocket_connect(f"/ws/chat?identity={identity}") as socket:
        hello = socket.receive_json()
    assert hello["verified"] is True and [m["text"] for m in hello["history"]][:1] == ["上次的问题"]


def test_another_conversations_transcript_without_its_token_is_refused_and_audited(client: TestClient) -> None:
    body = client.post("/api/chat", json={"sender": "victim", "message": "我的地址是幸福路1号"}).json()
    for token in ("", "guess"):
        response = client.get(f"/api/conversations/{body['conversation']}/messages", params={"token": token})
        assert response.status_code == 404
    assert len(audited(client, "refused_transcript")) == 2
    assert client.post("/api/chat", json={"sender": "victim", "message": "hi"}).status_code == 401
    assert audited(client, "refused_missing_token") == ["sender victim"]


def test_rs256_tokens_from_the_shops_private_key_are_accepted_and_the_alg_cannot_be_switched(
        tmp_path: Path, rasa: RasaStandin) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "shop.pub").write_bytes(public_pem)
    config = write_config(tmp_path, rasa.port, identity={"algorithm": "RS256", "key_file": str(tmp_path / "shop.pub")})
    verifier = IdentityVerifier(config)
    claims = {"sub": "u10003", "exp": int(time.time()) + 600, "tier": "VIP"}
    assert verifier.verify(jwt.encode(claims, private, algorithm="RS256")).account == "u10003"
    with pytest.raises(IdentityRefused):  # HS256 "signed" with the public key, the classic confusion
        verifier.verify(hs256_by_hand(public_pem, claims))
    with TestClient(create_app(config)) as client:
        body = client.post("/api/chat", json={"message": "你好", "identity": jwt.encode(claims, private, "RS256")})
        assert body.json()["verified"] is True


def test_configuration_errors_say_what_to_change(tmp_path: Path, rasa: RasaStandin) -> None:
    with pytest.raises(ConfigError, match="RS256 needs the shop site's public key"):
        IdentityVerifier(write_config(tmp_path, rasa.port, identity={"algorithm": "RS256",
                                                                     "key_file": str(tmp_path / "none.pem")}))
    with pytest.raises(ConfigError, match="algorithm"):
        write_config(tmp_path, rasa.port, identity={"algorithm": "HS512"})


def test_the_secret_is_made_once_private_to_its_owner(gateway_config: KefuConfig) -> None:
    first = sign_identity(gateway_config, "u1")
    path = key_path(gateway_config)
    assert path.stat().st_mode & 0o077 == 0, "nobody but the owner reads the secret"
    assert IdentityVerifier(gateway_config).verify(first).account == "u1", "the same secret, not a new one"
