"""Agents: accounts with argon2 password hashes, roles, groups, presence and expiring sessions.

Create one from a shell: `python -m bot.gateway.agents create --username a1 --role agent --group 售后`
(the password is read from `--password`, `$KEFU_AGENT_PASSWORD` or asked for).
"""
from __future__ import annotations

import argparse
import getpass
import hashlib
import os
import secrets
import sys
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update

from bot.gateway.models import AGENT_ROLES, PRESENCE, Agent, AgentSession, utcnow
from bot.gateway.store import Store

HASHER = PasswordHasher()
ROLE_RANK = {role: rank for rank, role in enumerate(AGENT_ROLES)}
# Demo accounts, created on first start only when no agent exists (documented in docs/handoff.md).
DEMO_AGENTS = (
    ("agent1", "小王", "agent", "售后,投诉", "kefu-agent1"),
    ("agent2", "小李", "agent", "咨询,售后", "kefu-agent2"),
    ("super1", "张主管", "supervisor", "咨询,售后,投诉", "kefu-super1"),
)


class AgentError(ValueError):
    """Bad agent data, phrased for whoever typed it."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_agent(store: Store, username: str, password: str, role: str = "agent", groups: str = "",
                 display_name: str = "", max_concurrency: int = 3) -> Agent:
    if role not in AGENT_ROLES:
        raise AgentError(f"role must be one of {', '.join(AGENT_ROLES)}, got {role!r}")
    if len(password) < 8:
        raise AgentError("the password needs at least 8 characters")
    with store.session() as session:
        if session.scalars(select(Agent).where(Agent.username == username)).first():
            raise AgentError(f"an agent named {username!r} already exists")
        agent = Agent(username=username, display_name=display_name or username, role=role,
                      password_hash=HASHER.hash(password), max_concurrency=max_concurrency,
                      groups=",".join(g.strip() for g in groups.split(",") if g.strip()))
        session.add(agent)
    store.audit("cli", "agent_created", detail=f"{username} ({role}, {agent.groups})")
    return agent


def seed_demo_agents(store: Store, max_concurrency: int) -> bool:
    """Create the demo accounts if there is no agent at all; True if it did."""
    with store.session() as session:
        if session.scalar(select(func.count(Agent.id))):
            return False
    for username, name, role, groups, password in DEMO_AGENTS:
        create_agent(store, username, password, role, groups, name, max_concurrency)
    return True


def login(store: Store, username: str, password: str, hours: float) -> tuple[Agent, str] | None:
    """Check the password; on success open a session and return the agent and its bearer token."""
    with store.session() as session:
        agent = session.scalars(select(Agent).where(Agent.username == username)).first()
    if agent is None:
        HASHER.hash(password)  # same cost as a wrong password: no username probing by timing
        return None
    try:
        HASHER.verify(agent.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    token = secrets.token_urlsafe(32)
    with store.session() as session:
        session.add(AgentSession(token_hash=_token_hash(token), agent_id=agent.id,
                                 expires_at=utcnow() + timedelta(hours=hours)))
    store.audit(username, "login")
    return agent, token


def agent_for_token(store: Store, token: str) -> Agent | None:
    """The agent a bearer token belongs to, if the session has not expired."""
    with store.session() as session:
        row = session.get(AgentSession, _token_hash(token))
        if row is None or row.expires_at < utcnow():
            return None
        return session.get(Agent, row.agent_id)


def logout(store: Store, token: str) -> None:
    with store.session() as session:
        session.execute(delete(AgentSession).where(AgentSession.token_hash == _token_hash(token)))


def set_presence(store: Store, agent_id: int, presence: str) -> None:
    if presence not in PRESENCE:
        raise AgentError(f"presence must be one of {', '.join(PRESENCE)}")
    with store.session() as session:
        session.execute(update(Agent).where(Agent.id == agent_id).values(presence=presence))


def get_agent(store: Store, agent_id: int) -> Agent | None:
    with store.session() as session:
        return session.get(Agent, agent_id)


def all_agents(store: Store) -> list[Agent]:
    with store.session() as session:
        return list(session.scalars(select(Agent).order_by(Agent.id)))


def has_role(agent: Agent, minimum: str) -> bool:
    return ROLE_RANK[agent.role] >= ROLE_RANK[minimum]


def main(argv: list[str] | None = None) -> int:
    from bot.config import load_config

    parser = argparse.ArgumentParser(prog="python -m bot.gateway.agents", description="manage console agents")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create an agent account")
    create.add_argument("--username", required=True)
    create.add_argument("--role", default="agent", choices=AGENT_ROLES)
    create.add_argument("--group", default="", help="comma-separated groups / skills, e.g. 售后,投诉")
    create.add_argument("--name", default="", help="name shown to customers")
    create.add_argument("--password", default=os.environ.get("KEFU_AGENT_PASSWORD", ""))
    create.add_argument("--max-concurrency", type=int, default=None)
    commands.add_parser("list", help="list agents")
    args = parser.parse_args(argv)
    from bot.gateway.store import database_url

    config = load_config()
    store = Store(database_url(config))
    if args.command == "list":
        for agent in all_agents(store):
            print(f"{agent.username}\t{agent.role}\t{agent.groups}\t{agent.presence}")
        return 0
    password = args.password or getpass.getpass(f"password for {args.username}: ")
    try:
        agent = create_agent(store, args.username, password, args.role, args.group, args.name,
                             args.max_concurrency or config.gateway.agent_max_concurrency)
    except AgentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"created {agent.role} {agent.username} (groups: {agent.groups or '-'}) in {store.url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
