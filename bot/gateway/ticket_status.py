"""A customer asks how their complaint or ticket is going ("我的投诉处理得怎么样了"): the gateway,
which keeps the tickets, answers with status, owner group and deadline.

Only tickets provably the customer's are told: those of the account their identity token proved,
and those opened in this very conversation. Anyone else is told how to prove who they are; a ticket
number alone proves nothing. An overdue ticket is chased: the answer says so and the ticket's
history records that the customer asked.
"""
from __future__ import annotations

import re

from bot.clock import naive_utc_now
from bot.gateway.models import Conversation, Ticket
from bot.gateway.store import Store
from bot.service_hours import ServiceHours
from bot.tickets import CLOSED

_SUBJECT = re.compile(r"投诉|工单|反馈的问题|留言|申诉|[TC]\d{6}")
_PROGRESS = re.compile(r"进度|进展|处理(得|的)?(怎么样|如何|咋样|到哪)|处理了(吗|没)|有(没有)?(结果|回复|回音|消息|进展)|"
                       r"结果(呢|如何|怎么样)|怎么样了|到哪(一)?步|(什么|啥)状态|查(一下|下)?(我的)?(投诉|工单)")
SHOWN = 3
NOT_VERIFIED = ("为了保护您的信息，查询工单进度需要先登录账号再咨询；也可以回复“转人工”，由客服核实身份后为您查询。")
NONE_FOUND = "没有查到您名下的工单。如果是刚刚反映的问题，可以直接说说情况，或回复“转人工”由客服为您登记。"


def asks_about_tickets(text: str) -> bool:
    """True for a question about a complaint's or ticket's progress, not for a new complaint."""
    return bool(_SUBJECT.search(text)) and bool(_PROGRESS.search(text))


def customers_tickets(store: Store, conversation: Conversation) -> list[Ticket] | None:
    """The tickets provably this customer's, newest first; None when nothing proves who they are and
    this conversation opened none."""
    own = {t.id: t for t in store.tickets_of_conversation(conversation.id)}
    if conversation.account_id:
        own.update({t.id: t for t in store.tickets(customer=conversation.account_id, limit=50)})
    elif not own:
        return None
    return sorted(own.values(), key=lambda t: t.id, reverse=True)


def status_reply(store: Store, hours: ServiceHours, conversation: Conversation) -> str:
    tickets = customers_tickets(store, conversation)
    if tickets is None:
        return NOT_VERIFIED
    if not tickets:
        return NONE_FOUND
    shown = ([t for t in tickets if t.status != CLOSED] or tickets)[:SHOWN]
    now = naive_utc_now()
    lines = []
    for ticket in shown:
        number = ticket.reference or ticket.number
        due = hours.when_text(ticket.due_at, None)
        if ticket.status == CLOSED:
            lines.append(f"工单{number}（{ticket.title}）已处理完毕并关闭。如果问题还在，告诉我，我为您重新提交。")
        elif now > ticket.due_at:
            store.change_ticket(ticket.id, "customer", "chased", "客户询问进度时已超过处理时限")
            lines.append(f"工单{number}（{ticket.title}）目前{ticket.status}，由{ticket.agent_group}组负责，"
                         f"已超过原定的{due}处理时限，非常抱歉。我已为您催办，客服会尽快联系您。")
        else:
            lines.append(f"工单{number}（{ticket.title}）目前{ticket.status}，由{ticket.agent_group}组负责，"
                         f"会在{due}前处理完毕。")
    return "\n".join(lines)
