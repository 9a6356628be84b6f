"""Every promise the bot makes is kept by a ticket: an owner and a deadline in the gateway.

When an action records a request somebody must act on (a cancellation to intercept, a return to
check, an invoice to issue, a price difference to refund, a complaint to answer) and tells the
customer when, it also sends `{"ticket": …}` (bot/tickets.py). The gateway opens the ticket for
the problem class's group, so the request no longer sits unseen in the shop's database. The
deadline is the one promised in words, or `service.sla_hours` when the words name none.
"""
from typing import Optional

from rasa_sdk.executor import CollectingDispatcher

from bot.handoff import DEFAULT_PRIORITY
from bot.tickets import TICKET_KEY, TicketRequest


def keep_promise(dispatcher: CollectingDispatcher, title: str, problem_class: str, reference: str,
                 detail: str = "", due_hours: Optional[float] = None, priority: str = DEFAULT_PRIORITY) -> None:
    """Send the ticket request for what was just promised (`due_hours` None: the SLA table's)."""
    request = TicketRequest(title=title, problem_class=problem_class, priority=priority, detail=detail,
                            due_hours=float(due_hours or 0), reference=reference)
    dispatcher.utter_message(json_message={TICKET_KEY: request.to_payload()})
