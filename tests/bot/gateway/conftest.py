"""Fixtures for the gateway tests: real SQLite files, a real PostgreSQL, a Rasa stand-in over HTTP."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from bot.config import GatewaySettings, KefuConfig, load_config
from bot.gateway.agents import create_agent
from bot.gateway.app import create_app
from bot.gateway.store import Store
from tests.bot.gateway.postgres_server import postgres_bin, postgres_server
from tests.bot.gateway.rasa_standin import RasaStandin, free_port

WORKING_HOURS = "2026-12-07T10:00:00+08:00"  # a Monday morning in the demo shop's zone (kefu.yml `service`)


@pytest.fixture(autouse=True)
def clock_in_working_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gateway's tests run at 10:00 Shanghai time whatever the machine's clock says, so that
    what a queued customer hears does not depend on when CI runs; tests of the other hours set
    `KEFU_CLOCK` themselves (tests/bot/gateway/test_availability.py)."""
    monkeypatch.setenv("KEFU_CLOCK", WORKING_HOURS)


@pytest.fixture(scope="session")
def rasa() -> Iterator[RasaStandin]:
    with RasaStandin() as standin:
        yield standin


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if postgres_bin() is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are missing: run scripts/system-packages.sh")
    with postgres_server() as url:
        yield url


def fresh_postgres_database(server_url: str) -> str:
    import psycopg

    name = f"kefu_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gateway.db'}"
    return fresh_postgres_database(request.getfixturevalue("postgres_url"))


@pytest.fixture()
def store(database_url: str) -> Iterator[Store]:
    opened = Store(database_url)
    yield opened
    opened.close()


def write_config(folder: Path, rasa_port: int, identity: dict[str, Any] | None = None,
                 tls: dict[str, str] | None = None, desk: dict[str, Any] | None = None,
                 paths: dict[str, str] | None = None, **gateway: Any) -> KefuConfig:
    settings = {"ports": {"rasa": rasa_port, "gateway": free_port(), "actions": free_port()},
                "paths": {"var": str(folder / "var"), **(paths or {})}, **({"desk": desk} if desk else {}),
                "gateway": {"seed_demo_agents": False, "rasa_timeout_s": 5, **gateway},
                **({"identity": identity} if identity else {}), **({"tls": tls} if tls else {})}
    path = folder / "kefu.yml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return load_config(path)


REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def knowledge_paths() -> dict[str, str]:
    """The demo knowledge base and its index (built here if needed; unchanged files are a quick check),
    for tests of what the desk suggests from it."""
    from bot.knowledge_index import build_knowledge_index

    build_knowledge_index(load_config(REPO / "kefu.yml"), show_progress=False)
    return {"knowledge": str(REPO / "knowledge"), "index": str(REPO / "var" / "index")}


@pytest.fixture()
def settings() -> GatewaySettings:
    return GatewaySettings()


@pytest.fixture()
def gateway_config(tmp_path: Path, rasa: RasaStandin, monkeypatch: pytest.MonkeyPatch) -> KefuConfig:
    monkeypatch.delenv("KEFU_GATEWAY_DB", raising=False)
    return write_config(tmp_path, rasa.port)


@pytest.fixture()
def client(gateway_config: KefuConfig) -> Iterator[TestClient]:
    with TestClient(create_app(gateway_config)) as test_client:
        yield test_client


ON_DUTY_PASSWORD = "kept the queue moving"
AGENT_PASSWORD = "correct horse"  # the agents the console tests create


def login(client: TestClient, username: str, password: str = AGENT_PASSWORD) -> dict[str, str]:
    """Log an agent in (which sets them online); their bearer header. The session cookie is dropped:
    each test agent authenticates with its own bearer token."""
    response = client.post("/api/console/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def put_agent_on_duty(client: TestClient, username: str = "duty", groups: str = "咨询,售后,投诉") -> dict[str, str]:
    """Create an agent of `groups` and log them in (which sets them online); their bearer header."""
    create_agent(client.app.state.services.store, username, ON_DUTY_PASSWORD, "agent", groups, "值班客服")
    return login(client, username, ON_DUTY_PASSWORD)
