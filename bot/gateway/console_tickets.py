"""Tickets in the agent console (`/api/console/tickets…`): the list with SLA breaches counted, one
ticket with its history, and the changes an agent makes: assign, comment, move along the status
flow (待处理→处理中→待确认→已关闭, reopen), link a conversation, or open a ticket from a conversation.

Agents see the tickets of their groups and those they own; supervisors see all.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from bot.clock import naive_utc_now
from bot.gateway import agents as accounts
from bot.gateway.console_api import current_agent, visible_conversation
from bot.gateway.models import Agent, Ticket
from bot.gateway.services import Services, services_of
from bot.gateway.tickets import TicketError
from bot.handoff import DEFAULT_PROBLEM_CLASS, PROBLEM_CLASSES
from bot.tickets import STATUSES, TicketRequest

router = APIRouter(prefix="/api/console")


class NewTicket(BaseModel):
    conversation: str
    title: str = Field(min_length=1, max_length=200)
    detail: str = Field(default="", max_length=4000)
    problem_class: str = DEFAULT_PROBLEM_CLASS
    priority: str = "normal"


class Assignment(BaseModel):
    agent: str  # username


class StatusChange(BaseModel):
    status: str


class Comment(BaseModel):
    text: str = Field(max_length=2000)


class Link(BaseModel):
    conversation: str


def _refuse(status: int, code: str, message: str) -> HTTPException:
    return HTTPException(status, {"error": code, "message": message})


def may_see(agent: Agent, ticket: Ticket) -> bool:
    return accounts.has_role(agent, "supervisor") or ticket.owner_agent_id == agent.id \
        or ticket.agent_group in agent.group_list


def ticket_dict(services: Services, ticket: Ticket) -> dict[str, Any]:
    owner = services.store.agent(ticket.owner_agent_id) if ticket.owner_agent_id else None
    return {"id": ticket.id, "number": ticket.number, "reference": ticket.reference, "title": ticket.title,
            "detail": ticket.detail, "customer": ticket.customer, "account": ticket.account_id,
            "conversation": ticket.conversation_id, "source": ticket.source, "problem_class": ticket.problem_class,
            "priority": ticket.priority, "group": ticket.agent_group, "status": ticket.status,
            "owner": owner.display_name if owner else None, "owner_username": owner.username if owner else None,
            "due_at": ticket.due_at.isoformat() + "Z", "created_at": ticket.created_at.isoformat() + "Z",
            "closed_at": ticket.closed_at.isoformat() + "Z" if ticket.closed_at else None,
            "reopened": ticket.reopened, "breached": services.desk.breached(ticket),
            "followup": {"due_at": ticket.followup_due_at.isoformat() + "Z" if ticket.followup_due_at else None,
                         "solved": ticket.followup_solved, "score": ticket.followup_score}}


def _visible_ticket(services: Services, agent: Agent, ticket_id: int) -> Ticket:
    ticket = services.store.ticket(ticket_id)
    if ticket is None:
        raise _refuse(404, "not_found", "没有这个工单。")
    if not may_see(agent, ticket):
        raise _refuse(403, "forbidden", "这个工单不在您的权限范围内。")
    return ticket


def _full(services: Services, ticket: Ticket) -> dict[str, Any]:
    return {**ticket_dict(services, ticket),
            "events": [{"at": e.at.isoformat() + "Z", "actor": e.actor, "action": e.action, "detail": e.detail}
                       for e in services.store.ticket_events(ticket.id)],
            "linked_conversations": services.store.linked_conversations(ticket.id)}


@router.get("/tickets")
async def list_tickets(request: Request, status: str = "", group: str = "", mine: bool = False,
                       overdue: bool = False, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    if status and status not in STATUSES:
        raise _refuse(422, "bad_status", f"状态只能是：{'、'.join(STATUSES)}")
    now = naive_utc_now()
    rows = services.store.tickets(status=status or None, group=group or None,
                                  owner=agent.id if mine else None, overdue_at=now if overdue else None)
    visible = [ticket for ticket in rows if may_see(agent, ticket)]
    every = [ticket for ticket in services.store.tickets(limit=100000) if may_see(agent, ticket)]
    counts = {name: sum(1 for t in every if t.status == name) for name in STATUSES}
    return {"tickets": [ticket_dict(services, t) for t in visible], "counts": counts,
            "breached": sum(1 for t in every if services.desk.breached(t, now) and t.status != STATUSES[-1])}


@router.get("/tickets-assignees")
async def assignees(request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    """Who a ticket may be given to: anyone, by a supervisor; an agent takes tickets themselves."""
    everyone = services_of(request).store.agents() if accounts.has_role(agent, "supervisor") else [agent]
    return {"agents": [{"username": a.username, "name": a.display_name, "groups": a.group_list} for a in everyone]}


@router.post("/tickets")
async def open_ticket(body: NewTicket, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    conversation = visible_conversation(services, agent, body.conversation)
    if body.problem_class not in PROBLEM_CLASSES:
        raise _refuse(422, "bad_problem_class", f"问题类别只能是：{'、'.join(PROBLEM_CLASSES)}")
    ticket = services.desk.open(conversation, "agent", TicketRequest(
        title=body.title, detail=body.detail, problem_class=body.problem_class, priority=body.priority),
        actor=agent.username)
    return _full(services, ticket)


@router.get("/tickets/{ticket_id}")
async def show_ticket(ticket_id: int, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    return _full(services, _visible_ticket(services, agent, ticket_id))


async def _change(request: Request, agent: Agent, ticket_id: int, change: Any) -> dict[str, Any]:
    services = services_of(request)
    _visible_ticket(services, agent, ticket_id)
    try:
        ticket = change(services)
    except TicketError as error:
        raise _refuse(409, "refused", str(error)) from None
    return _full(services, ticket)


@router.post("/tickets/{ticket_id}/assign")
async def assign(ticket_id: int, body: Assignment, request: Request,
                 agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    owner = services_of(request).store.agent_by_name(body.agent)
    if owner is None:
        raise _refuse(404, "no_agent", f"没有客服账号 {body.agent}。")
    if owner.id != agent.id and not accounts.has_role(agent, "supervisor"):
        raise _refuse(403, "forbidden", "只有主管可以把工单指派给别人。")
    return await _change(request, agent, ticket_id, lambda s: s.desk.assign(ticket_id, agent, owner))


@router.post("/tickets/{ticket_id}/status")
async def change_status(ticket_id: int, body: StatusChange, request: Request,
                        agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    return await _change(request, agent, ticket_id, lambda s: s.desk.move(ticket_id, agent, body.status))


@router.post("/tickets/{ticket_id}/comment")
async def comment(ticket_id: int, body: Comment, request: Request,
                  agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    return await _change(request, agent, ticket_id, lambda s: s.desk.comment(ticket_id, agent, body.text))


@router.post("/tickets/{ticket_id}/link")
async def link(ticket_id: int, body: Link, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    visible_conversation(services, agent, body.conversation)
    return await _change(request, agent, ticket_id, lambda s: s.desk.link(ticket_id, body.conversation, agent))
