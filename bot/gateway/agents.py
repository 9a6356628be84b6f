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

from bot.gateway.models import AGENT_ROLES, PRESENCE, Agent, utcnow
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
                 display_name: str = "", max_concurrency: int = 3, check_policy: bool = True) -> Agent:
    """A new agent account; `check_policy=False` only for the demo accounts, whose passwords are published."""
    if role not in AGENT_ROLES:
        raise AgentError(f"role must be one of {', '.join(AGENT_ROLES)}, got {role!r}")
    from bot.gateway.console_guard import password_problem  # the policy lives with the console's defences

    if check_policy and (problem := password_problem(username, password)):
        raise AgentError(problem)
    if store.agent_by_name(username) is not None:
        raise AgentError(f"an agent named {username!r} already exists")
    agent = Agent(username=username, display_name=display_name or username, role=role,
                  password_hash=HASHER.hash(password), max_concurrency=max_concurrency,
                  groups=",".join(g.strip() for g in groups.split(",") if g.strip()))
    if not store.add_agent(agent):
        raise AgentError(f"an agent named {username!r} already exists")
    store.audit("cli", "agent_created", detail=f"{username} ({role}, {agent.groups})")
    return agent


def seed_demo_agents(store: Store, max_concurrency: int) -> bool:
    """Create the demo accounts if there is no agent at all; True if it did."""
    if store.agent_count():
        return False
    for username, name, role, groups, password in DEMO_AGENTS:
        create_agent(store, username, password, role, groups, name, max_concurrency, check_policy=False)
    return True


def login(store: Store, username: str, password: str, hours: float) -> tuple[Agent, str] | None:
    """Check the password; on success open a session and return the agent and its bearer token."""
    agent = store.agent_by_name(username)
    if agent is None:
        HASHER.hash(password)  # same cost as a wrong password: no username probing by timing
        return None
    try:
        HASHER.verify(agent.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    token = secrets.token_urlsafe(32)
    store.open_agent_session(_token_hash(token), agent.id, utcnow() + timedelta(hours=hours))
    store.audit(username, "login")
    return agent, token


def agent_for_token(store: Store, token: str) -> Agent | None:
    """The agent a bearer token belongs to, if the session has not expired."""
    return store.agent_for_session(_token_hash(token))


def logout(store: Store, token: str) -> None:
    store.end_agent_session(_token_hash(token))


def set_presence(store: Store, agent_id: int, presence: str) -> None:
    if presence not in PRESENCE:
        raise AgentError(f"presence must be one of {', '.join(PRESENCE)}")
    store.set_presence(agent_id, presence)


def get_agent(store: Store, agent_id: int) -> Agent | None:
    return store.agent(agent_id)


def all_agents(store: Store) -> list[Agent]:
    return store.agents()


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
