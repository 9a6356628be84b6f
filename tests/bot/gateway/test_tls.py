"""`tls.cert`/`tls.key`: the gateway serves HTTPS and WSS itself (uvicorn's TLS), with a
self-signed certificate made here; plain HTTP on that port gets nothing."""
from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.sync.client import connect

from bot.config import ConfigError
from tests.bot.gateway.conftest import write_config
from tests.bot.gateway.live_gateway import LiveGateway
from tests.bot.gateway.rasa_standin import RasaStandin


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kefu test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_the_gateway_speaks_https_and_wss_with_the_configured_certificate(tmp_path: Path, rasa: RasaStandin) -> None:
    cert, key = self_signed(tmp_path)
    gateway = LiveGateway(tmp_path, rasa.port, tls={"cert": str(cert), "key": str(key)}).start()
    try:
        assert gateway.url.startswith("https://")
        with httpx.Client(verify=ssl.create_default_context(cafile=str(cert))) as client:
            assert client.get(f"{gateway.url}/health").json()["status"] == "ok"
            body = client.post(f"{gateway.url}/api/chat", json={"message": "你好"}).json()
            assert body["messages"] and body["token"]
        with pytest.raises(httpx.HTTPError):
            httpx.get(gateway.url.replace("https://", "http://") + "/health", timeout=3)
        context = ssl.create_default_context(cafile=str(cert))
        with connect(gateway.url.replace("https://", "wss://") + "/ws/chat", ssl=context, open_timeout=10) as socket:
            assert json.loads(socket.recv(timeout=10))["type"] == "hello"
    finally:
        gateway.stop()


def test_half_a_tls_setting_is_refused_with_what_to_change(tmp_path: Path, rasa: RasaStandin) -> None:
    cert, _ = self_signed(tmp_path)
    with pytest.raises(ConfigError, match="set both cert and key"):
        write_config(tmp_path, rasa.port, tls={"cert": str(cert)})
    with pytest.raises(ConfigError, match="is not a file"):
        write_config(tmp_path, rasa.port, tls={"cert": str(cert), "key": str(tmp_path / "missing.pem")})
