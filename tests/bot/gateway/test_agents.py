"""Agent accounts: the command line, argon2 hashes, expiring sessions, the first-start demo seed."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from bot.gateway.agents import DEMO_AGENTS, agent_for_token, all_agents, login, seed_demo_agents
from bot.gateway.models import AgentSession, utcnow
from bot.gateway.store import Store

REPO = Path(__file__).resolve().parents[3]


def test_the_command_line_creates_an_agent_with_an_argon2_hash(tmp_path: Path) -> None:
    database = tmp_path / "gateway.db"
    env = {**os.environ, "KEFU_GATEWAY_DB": str(database), "KEFU_AGENT_PASSWORD": "s3cret-pass",
           "KEFU_CONFIG": str(tmp_path / "kefu.yml"), "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "bot.gateway.agents", "create", "--username", "a1",
                             "--role", "agent", "--group", "售后"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "created agent a1 (groups: 售后)" in result.stdout
    again = subprocess.run([sys.executable, "-m", "bot.gateway.agents", "create", "--username", "a1"],
                           env=env, capture_output=True, text=True, cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    store = Store(f"sqlite:///{database}")
    [agent] = all_agents(store)
    assert agent.password_hash.startswith("$argon2id$") and "s3cret-pass" not in agent.password_hash
    assert login(store, "a1", "s3cret-pass", hours=1) is not None
    assert login(store, "a1", "wrong-pass", hours=1) is None


def test_sessions_expire(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    seed_demo_agents(store, 3)
    _, token = login(store, "agent1", "kefu-agent1", hours=1)
    assert agent_for_token(store, token).username == "agent1"
    with store.session() as session:
        session.execute(update(AgentSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert agent_for_token(store, token) is None


def test_demo_accounts_are_seeded_only_when_no_agent_exists(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    assert seed_demo_agents(store, 3) is True
    assert seed_demo_agents(store, 3) is False
    assert [(a.username, a.role) for a in all_agents(store)] == [(u, r) for u, _, r, _, _ in DEMO_AGENTS]
