"""Follow-ups (回访): some time after a ticket closes (`service.followup_after_hours`), the customer is
asked whether the problem is solved and for a 1–5 score; the answer is stored on the ticket, and
"没解决" reopens it.

The question goes to the customer's live conversation when they have one (their account's, or the
ticket's own conversation if it is still open). Otherwise the ticket gets a call task for its owner
(回访任务 in its history): nobody is messaged in a conversation they have left.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.clock import naive_utc_now
from bot.gateway.models import Conversation, Ticket

if TYPE_CHECKING:
    from bot.gateway.router import Router, Turn

UNSOLVED = re.compile(r"没(有)?解决|未解决|还没好|没处理好|不满意|没用")
SOLVED = re.compile(r"(已经?|都)?解决了|已解决|好了|满意|可以了|没问题了")
SCORE = re.compile(r"(?<!\d)([1-5])\s*(分|星)?(?!\d)")
THANKS_SOLVED = "感谢您的反馈！很高兴问题已经解决，祝您生活愉快。"
THANKS_UNSOLVED = "非常抱歉问题还没解决。已为您重新打开工单{number}，客服会尽快联系您继续处理。"


def question(ticket: Ticket) -> str:
    return (f"您好，这里是回访：您的工单{ticket.reference or ticket.number}（{ticket.title}）已处理完毕。"
            "问题解决了吗？请回复“已解决”或“未解决”，也欢迎给这次处理打1–5分。")


def read_answer(text: str) -> tuple[bool | None, int | None] | None:
    """(solved, score) from the customer's reply, or None when the reply is about something else."""
    solved = False if UNSOLVED.search(text) else (True if SOLVED.search(text) else None)
    score_match = SCORE.search(text)
    score = int(score_match.group(1)) if score_match else None
    return None if solved is None and score is None else (solved, score)


async def send_due_followups(router: Router) -> int:
    """One pass over the closed tickets whose follow-up is due; returns how many were handled."""
    store = router.store
    handled = 0
    for ticket in store.followups_due(naive_utc_now()):
        conversation = _live_conversation(router, ticket)
        if conversation is not None:
            await router.say(conversation, "system", question(ticket), {"followup": ticket.number})
            store.update_conversation(conversation.id, followup_ticket_id=ticket.id)
            detail = f"回访已发到会话{conversation.id}"
        else:
            detail = "客户不在线：回访任务，请负责人电话回访"
        store.change_ticket(ticket.id, "system", "followup", detail, followup_sent_at=naive_utc_now())
        handled += 1
    return handled


def _live_conversation(router: Router, ticket: Ticket) -> Conversation | None:
    if ticket.account_id:
        live = router.store.active_conversation(ticket.account_id, ticket.account_id)
        if live is not None and live.mode == "bot":
            return live
    own = router.store.conversation(ticket.conversation_id) if ticket.conversation_id else None
    return own if own is not None and own.mode == "bot" else None


async def take_followup_answer(router: Router, conversation: Conversation, text: str, turn: Turn) -> bool:
    """Store the answer to a follow-up question; anything else goes on to the bot (False)."""
    ticket_id = conversation.followup_ticket_id
    router.store.update_conversation(conversation.id, followup_ticket_id=None)
    answer = read_answer(text)
    ticket = router.store.ticket(ticket_id) if ticket_id else None
    if answer is None or ticket is None:
        return False
    solved, score = answer
    router.desk.record_followup(ticket.id, solved, score, text)
    if solved is False:
        router.desk.reopen_for_customer(ticket.id, text[:100])
        reply = THANKS_UNSOLVED.format(number=ticket.reference or ticket.number)
    else:
        reply = THANKS_SOLVED
    turn.replies.append(await router.say(conversation, "system", reply, {"followup_answer": ticket.number}))
    return True
