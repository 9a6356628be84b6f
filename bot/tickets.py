"""The ticket contract between the action server and the gateway, like bot/handoff.py for handoffs.

When the bot promises a follow-up ("专人会在24小时内跟进处理"), the action sends
`{"ticket": TicketRequest(...).to_payload()}` as a custom message beside its words; the gateway
opens a ticket with that deadline in its store (bot/gateway/tickets.py), where an agent owns it.
The payload never reaches the customer (bot/gateway/customer_view.py keeps only known keys).
Standard library only: both processes import it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.handoff import DEFAULT_PRIORITY, DEFAULT_PROBLEM_CLASS

TICKET_KEY = "ticket"

# The statuses of the service desk's ticket flow (待处理→处理中→待确认→已关闭), and where each may go.
OPEN, IN_PROGRESS, AWAITING_CONFIRMATION, CLOSED = "待处理", "处理中", "待确认", "已关闭"
STATUSES = (OPEN, IN_PROGRESS, AWAITING_CONFIRMATION, CLOSED)
NEXT_STATUSES = {OPEN: (IN_PROGRESS, CLOSED), IN_PROGRESS: (AWAITING_CONFIRMATION, CLOSED),
                 AWAITING_CONFIRMATION: (CLOSED, IN_PROGRESS), CLOSED: (IN_PROGRESS,)}
"""A closed ticket goes back to 处理中 when it is reopened."""


@dataclass(frozen=True)
class TicketRequest:
    """What the bot promised: about what, how urgent, and by when (hours; 0 means the SLA table's)."""
    title: str
    problem_class: str = DEFAULT_PROBLEM_CLASS
    priority: str = DEFAULT_PRIORITY
    detail: str = ""
    due_hours: float = 0.0
    reference: str = ""  # the number the customer was given, e.g. the complaint's C000123
    withdrawn: bool = False  # the customer took the request back: close its ticket, open none

    def to_payload(self) -> dict[str, Any]:
        return {"title": self.title, "problem_class": self.problem_class, "priority": self.priority,
                "detail": self.detail, "due_hours": self.due_hours, "reference": self.reference,
                "withdrawn": self.withdrawn}

    @classmethod
    def from_payload(cls, payload: Any) -> TicketRequest:
        values = payload if isinstance(payload, dict) else {}
        try:
            due_hours = max(float(values.get("due_hours") or 0), 0.0)
        except (TypeError, ValueError):
            due_hours = 0.0
        return cls(title=str(values.get("title") or "客户待跟进事项")[:200],
                   problem_class=str(values.get("problem_class") or DEFAULT_PROBLEM_CLASS),
                   priority=str(values.get("priority") or DEFAULT_PRIORITY),
                   detail=str(values.get("detail") or "")[:4000], due_hours=due_hours,
                   reference=str(values.get("reference") or "")[:32], withdrawn=values.get("withdrawn") is True)


def ticket_payload_in(custom: Any) -> dict[str, Any] | None:
    """The ticket request a bot reply's custom message carries, if it carries one (a dict)."""
    if isinstance(custom, dict) and isinstance(custom.get(TICKET_KEY), dict):
        return custom[TICKET_KEY]
    return None
