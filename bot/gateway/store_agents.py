"""Agent accounts and their login sessions in the gateway's database: part of `Store`."""
from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.gateway.models import Agent, AgentSession, utcnow


class AgentStore:
    """Accounts (`agents`) and bearer-token sessions (`agent_sessions`); every call is one transaction."""

    if TYPE_CHECKING:
        def session(self) -> AbstractContextManager[Session]: ...

    def add_agent(self, agent: Agent) -> bool:
        """Commit a new account unless its username is taken (then store nothing and say False)."""
        with self.session() as session:
            if session.scalars(select(Agent).where(Agent.username == agent.username)).first():
                return False
            session.add(agent)
        return True

    def agent_count(self) -> int:
        with self.session() as session:
            return session.scalar(select(func.count(Agent.id))) or 0

    def agent(self, agent_id: int) -> Agent | None:
        with self.session() as session:
            return session.get(Agent, agent_id)

    def agent_by_name(self, username: str) -> Agent | None:
        with self.session() as session:
            return session.scalars(select(Agent).where(Agent.username == username)).first()

    def agents(self) -> list[Agent]:
        with self.session() as session:
            return list(session.scalars(select(Agent).order_by(Agent.id)))

    def set_presence(self, agent_id: int, presence: str) -> None:
        with self.session() as session:
            session.execute(update(Agent).where(Agent.id == agent_id).values(presence=presence))

    def online_agents(self) -> list[Agent]:
        """Agents set online who still hold an unexpired session (a closed browser tab does not
        keep an agent "online" past the session's end)."""
        live = select(AgentSession.agent_id).where(AgentSession.expires_at > utcnow())
        with self.session() as session:
            return list(session.scalars(select(Agent).where(Agent.presence == "online", Agent.id.in_(live))))

    def open_agent_session(self, token_hash: str, agent_id: int, expires_at: datetime) -> None:
        with self.session() as session:
            session.add(AgentSession(token_hash=token_hash, agent_id=agent_id, expires_at=expires_at))

    def agent_for_session(self, token_hash: str) -> Agent | None:
        """The agent whose session has this token hash, unless it has expired."""
        with self.session() as session:
            row = session.get(AgentSession, token_hash)
            if row is None or row.expires_at < utcnow():
                return None
            return session.get(Agent, row.agent_id)

    def end_agent_session(self, token_hash: str) -> None:
        with self.session() as session:
            session.execute(delete(AgentSession).where(AgentSession.token_hash == token_hash))
