"""The ticket desk: open a ticket for every promise, move it through its statuses, follow up.

A ticket is opened by the bot when it promises a follow-up (the complaint form), by a handoff that
nobody can take now (out of hours, or no agent of the group online), by a customer's 留言 and by an
agent from a conversation. Its deadline comes from `service.sla_hours` in kefu.yml unless the
promise named one. Statuses follow the service desk's flow (bot/tickets.NEXT_STATUSES); every
change is an event in the ticket's history. Closing schedules the follow-up (回访).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import naive_utc_now
from bot.config import GatewaySettings
from bot.gateway.models import Agent, Conversation, Ticket
from bot.gateway.queue import route
from bot.gateway.store import Store
from bot.service_hours import ServiceHours
from bot.tickets import CLOSED, IN_PROGRESS, NEXT_STATUSES, OPEN, STATUSES, TicketRequest

MAX_COMMENT_CHARS = 2000


class TicketError(Exception):
    """Why a ticket change is refused, in words for the console."""


@dataclass
class TicketDesk:
    store: Store
    settings: GatewaySettings
    hours: ServiceHours

    def open(self, conversation: Conversation | None, source: str, request: TicketRequest,
             actor: str = "system", customer: str | None = None) -> Ticket:
        """A new ticket, due `request.due_hours` (or the problem class's SLA) from now."""
        now = naive_utc_now()
        due_hours = request.due_hours or self.hours.sla_hours(request.problem_class)
        ticket = Ticket(conversation_id=conversation.id if conversation else None,
                        account_id=conversation.account_id if conversation else None,
                        customer=customer or (conversation.account_id or conversation.sender if conversation else ""),
                        source=source, reference=request.reference, title=request.title, detail=request.detail,
                        problem_class=request.problem_class, priority=request.priority,
                        agent_group=route(self.settings, request.problem_class),
                        due_at=now + timedelta(hours=due_hours), created_at=now, updated_at=now)
        return self.store.add_ticket(ticket, actor, f"{source}：{request.title}")

    def open_once(self, conversation: Conversation, source: str, request: TicketRequest) -> Ticket:
        """The conversation's unclosed ticket from `source`, or a new one: a customer who writes three
        times while nobody is at work has one ticket, not three."""
        for ticket in self.store.tickets_of_conversation(conversation.id):
            if ticket.source == source and ticket.status != CLOSED:
                return ticket
        return self.open(conversation, source, request)

    def withdraw(self, conversation: Conversation, reference: str) -> Ticket | None:
        """The customer took back the request the bot filed as `reference` in this conversation: its
        ticket closes with the reason, and no follow-up (回访) is scheduled for a request nobody worked."""
        for ticket in self.store.tickets_of_conversation(conversation.id):
            if ticket.source == "bot" and ticket.reference == reference and ticket.status != CLOSED:
                self.store.change_ticket(ticket.id, "customer", "withdrawn", f"{ticket.status}→{CLOSED}：客户撤回申请",
                                         expected_status=ticket.status, status=CLOSED, closed_at=naive_utc_now())
                return self.get(ticket.id)
        return None

    def get(self, ticket_id: int) -> Ticket:
        ticket = self.store.ticket(ticket_id)
        if ticket is None:
            raise TicketError("没有这个工单")
        return ticket

    def assign(self, ticket_id: int, actor: Agent, owner: Agent) -> Ticket:
        ticket = self.get(ticket_id)
        if ticket.status == CLOSED:
            raise TicketError("工单已关闭，请先重新打开")
        self.store.change_ticket(ticket_id, actor.username, "assigned", owner.display_name, owner_agent_id=owner.id)
        return self.get(ticket_id)

    def take_up(self, conversation_id: str, agent: Agent) -> None:
        """An agent claimed a conversation that waited as a ticket (nobody could take it then): the
        ticket is theirs now and in progress (首问负责制: who takes it up owns it)."""
        for ticket in self.store.tickets_of_conversation(conversation_id):
            if ticket.source in ("handoff", "message") and ticket.status == OPEN:
                self.store.change_ticket(ticket.id, agent.username, "status", f"{OPEN}→{IN_PROGRESS}：接入会话",
                                         expected_status=OPEN, status=IN_PROGRESS, owner_agent_id=agent.id)

    def comment(self, ticket_id: int, actor: Agent, text: str) -> Ticket:
        text = (text or "").strip()
        if not text:
            raise TicketError("备注不能为空")
        if len(text) > MAX_COMMENT_CHARS:
            raise TicketError(f"备注最多{MAX_COMMENT_CHARS}字")
        self.get(ticket_id)
        self.store.change_ticket(ticket_id, actor.username, "comment", text)
        return self.get(ticket_id)

    def move(self, ticket_id: int, actor: Agent, status: str) -> Ticket:
        """Change the status along the flow; closing schedules the follow-up, 已关闭→处理中 reopens."""
        ticket = self.get(ticket_id)
        if status not in STATUSES:
            raise TicketError(f"状态只能是：{'、'.join(STATUSES)}")
        if status not in NEXT_STATUSES[ticket.status]:
            raise TicketError(f"工单{ticket.status}时不能改为{status}")
        now = naive_utc_now()
        values: dict[str, Any] = {"status": status}
        action = "status"
        if status == CLOSED:
            values.update(closed_at=now, followup_due_at=now + timedelta(hours=self.hours.settings.followup_after_hours))
        elif ticket.status == CLOSED:
            action = "reopened"
            values.update(closed_at=None, reopened=ticket.reopened + 1, followup_due_at=None, followup_sent_at=None,
                          followup_solved=None, followup_score=None)
        if status == IN_PROGRESS and ticket.owner_agent_id is None:
            values["owner_agent_id"] = actor.id
        if not self.store.change_ticket(ticket_id, actor.username, action, f"{ticket.status}→{status}",
                                        expected_status=ticket.status, **values):
            raise TicketError("工单刚刚被其他人改过，请刷新后再试")
        return self.get(ticket_id)

    def link(self, ticket_id: int, conversation_id: str, actor: Agent) -> Ticket:
        ticket = self.get(ticket_id)
        if self.store.conversation(conversation_id) is None:
            raise TicketError("没有这个会话")
        if ticket.conversation_id != conversation_id:
            self.store.link_ticket(ticket_id, conversation_id, actor.username)
        return ticket

    def record_followup(self, ticket_id: int, solved: bool | None, score: int | None, reply: str) -> None:
        """The customer's answer to the follow-up: solved or not, and a 1–5 score when they gave one."""
        self.store.change_ticket(ticket_id, "customer", "followup_reply", reply[:500],
                                 followup_solved=solved, followup_score=score)

    def reopen_for_customer(self, ticket_id: int, why: str) -> None:
        """The customer says the problem is not solved: the closed ticket goes back to 处理中."""
        ticket = self.get(ticket_id)
        if ticket.status == CLOSED:
            self.store.change_ticket(ticket_id, "customer", "reopened", f"{CLOSED}→{IN_PROGRESS}：{why}",
                                     expected_status=CLOSED, status=IN_PROGRESS, closed_at=None,
                                     reopened=ticket.reopened + 1)

    def breached(self, ticket: Ticket, now: datetime | None = None) -> bool:
        """Past its deadline: still open after it, or closed later than it."""
        end = ticket.closed_at if ticket.status == CLOSED else (now or naive_utc_now())
        return end is not None and end > ticket.due_at

    def breach_count(self, now: datetime | None = None) -> int:
        return len(self.store.tickets(overdue_at=now or naive_utc_now(), limit=100000))
