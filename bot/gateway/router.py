"""The conversation router: one mode per conversation decides where a customer's message goes.

- `bot`: a risky message (bot/risk/) goes to a person at once; anything else to Rasa's REST channel,
  where a `{"handoff": {...}}` custom payload in the reply moves the conversation to `queued`.
- `queued` / `human`: nothing goes to the bot; the message is stored and pushed to the agent, and the
  desk's live watch reads its emotion and risk and suggests answers (live_watch.py). A
  queued customer who withdraws ("算了 不用人工了") goes back to the bot (bot/gateway/withdraw.py).
- after an agent resolves, the next message may be the 1–5 satisfaction rating, stored as such.
Every message is committed before anything is acknowledged or pushed.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.config import GatewaySettings
from bot.gateway.assignment import Assigner
from bot.gateway.availability import Availability
from bot.gateway.followup import take_followup_answer
from bot.gateway.hub import Hub
from bot.gateway.live_watch import LiveWatch
from bot.gateway.models import Conversation, Message, Ticket
from bot.gateway.queue import HandoffQueue
from bot.gateway.rasa_client import RasaClient, RasaUnavailable
from bot.gateway.risk_checks import RiskChecks
from bot.gateway.store import Store, message_dict
from bot.gateway.ticket_status import asks_about_tickets, status_reply
from bot.gateway.tickets import TicketDesk
from bot.gateway.waiting_answer import answer_while_waiting
from bot.gateway.withdraw import LEFT_QUEUE_TEXT, withdrawal
from bot.handoff import NOT_UNDERSTOOD_TEXT, REQUEST_HUMAN_INTENT, explicitly_asks_for_a_person, handoff_payload_in
from bot.risk.detector import RiskDetector
from bot.tickets import CLOSED, TicketRequest, ticket_payload_in

logger = logging.getLogger("kefu.gateway.router")

BOT_UNAVAILABLE_TEXT = "抱歉，系统暂时繁忙，没能处理您的消息。请稍后再试，或回复“转人工”联系人工客服。"
RATING = re.compile(r"^\s*([1-5])\s*(分|星)?\s*$")
THANKS_FOR_RATING = "感谢您的评价！祝您生活愉快，有问题随时找我。"
VISIBLE_PAYLOAD_KEYS = ("buttons", "image")  # what a customer sees in a reply besides its text
REPLY_KEYS = ("text", "buttons", "custom", "image")
OnStored = Callable[[Message], Awaitable[None]]
REASON_WORDS = {"customer_request": "客户要求人工", "repeated_fallback": "机器人多次没听懂", "accepted_offer": "客户接受转人工",
                "bot_decision": "机器人判断需人工", "complaint_escalation": "投诉升级"}


def reason_words(reason: str) -> str:
    """A handoff's reason in the words of a ticket's title ("risk:safety_health:…" → "风险 safety_health")."""
    if reason.startswith("risk:"):
        return "风险 " + reason.split(":")[1]
    return REASON_WORDS.get(reason, reason)


@dataclass
class Turn:
    """What one customer message led to: the stored message and everything said back."""
    conversation: Conversation
    message: Message
    duplicate: bool = False
    replies: list[Message] = field(default_factory=list)
    degraded: bool = False
    queue: dict[str, int] | None = None


def _visible(payload: dict[str, Any] | None) -> bool:
    return bool(payload) and any(payload.get(key) for key in VISIBLE_PAYLOAD_KEYS)


class Router(RiskChecks):
    def __init__(self, store: Store, queue: HandoffQueue, rasa: RasaClient, hub: Hub,
                 settings: GatewaySettings, availability: Availability, desk: TicketDesk,
                 risk: RiskDetector | None = None) -> None:
        self.store, self.queue, self.rasa, self.hub, self.settings = store, queue, rasa, hub, settings
        self.availability, self.desk = availability, desk
        self.risk = risk or RiskDetector(settings.risk_words, use_model=settings.risk_model)
        self.watch: LiveWatch | None = None  # set by Services: the desk's reading of queued and human messages
        self.assigner: Assigner | None = None  # set by Services: push assignment (assignment.py)

    async def customer_message(self, conversation: Conversation, text: str, client_id: str | None = None,
                               payload: dict[str, Any] | None = None, on_stored: OnStored | None = None) -> Turn:
        """Store the message, tell `on_stored` (the WebSocket's ack), then route it by mode."""
        message, duplicate = self.store.add_message(conversation.id, "customer", text, payload, client_id)
        if on_stored is not None:
            await on_stored(message)
        if duplicate:
            return Turn(conversation, message, duplicate=True)
        current = self.store.conversation(conversation.id) or conversation
        await self.hub.to_consoles({"type": "message", "message": message_dict(message)},
                                   assigned_agent_id=current.assigned_agent_id)
        turn = Turn(current, message)
        if current.mode == "bot" and current.awaiting_csat:
            if await self._take_rating(current, text, turn):
                return turn
        if current.mode == "bot" and current.followup_ticket_id:
            if await take_followup_answer(self, current, text, turn):
                return turn
        if current.mode == "queued" and (rest := withdrawal(text)) is not None:
            current = await self._leave_queue(current)
            if not rest:
                turn.conversation = current
                turn.replies.append(await self.say(current, "system", LEFT_QUEUE_TEXT))
                return turn
            text = rest
        if current.mode == "bot":
            finding = self._asked_again(current, message.id, text) or await self._assess_risk(current, text, message.id)
            if asks_about_tickets(text) and (finding is None or await self._only_the_word_complaint(text, finding)):
                turn.replies.append(await self.say(current, "bot", status_reply(
                    self.store, self.availability.hours, current), {"intent": "ticket_status"}))
            elif finding is not None:
                await self._hand_off_risk(current, text, finding, turn)
            else:
                await self._ask_bot(current, text, turn)
        elif current.mode == "queued":
            waiting = self.queue.open_handoff(current.id)
            early = await answer_while_waiting(self.watch.suggester if self.watch else None, text,
                                               waiting.trigger if waiting else None)
            if early is not None:
                turn.replies.append(await self.say(current, "bot", *early))
            turn.queue = self.queue_status(current.id)
            left_message = bool(payload and payload.get("left_message"))  # the widget's 留言: call me back
            ticket = None if turn.queue and not left_message else self.waiting_ticket(current)
            if ticket is None and left_message:
                ticket = self.desk.open_once(current, "message", TicketRequest(title="客户留言", detail=text))
            place = turn.queue or {}
            turn.replies.append(await self.say(current, "system", self.availability.queued_text(
                ticket, place.get("position"), place.get("wait_minutes"))))
        if self.watch is not None:
            await self.watch.observe(current, message)
        return turn

    def waiting_ticket(self, conversation: Conversation) -> Ticket | None:
        """The unclosed ticket that keeps a queued conversation nobody could take, if there is one."""
        tickets = [ticket for ticket in self.store.tickets_of_conversation(conversation.id)
                   if ticket.source in ("handoff", "message") and ticket.status != CLOSED]
        return tickets[-1] if tickets else None

    async def _leave_queue(self, conversation: Conversation) -> Conversation:
        """The customer withdrew before an agent claimed them (bot/gateway/withdraw.py)."""
        self.queue.close_open_handoff(conversation.id)
        self.store.update_conversation(conversation.id, mode="bot", assigned_agent_id=None)
        self.store.audit("customer", "left_queue", conversation.id)
        try:
            await self.rasa.resume(conversation.bot_sender)
        except RasaUnavailable as error:
            logger.warning("could not resume the bot for %s: %s", conversation.id, error)
        await self.hub.to_customer(conversation.id, {"type": "mode", "mode": "bot"})
        await self.hub.to_consoles({"type": "resolved", "conversation": conversation.id, "withdrawn": True},
                                   everyone=True)
        return self.store.conversation(conversation.id) or conversation

    def queue_status(self, conversation_id: str) -> dict[str, int] | None:
        """Place and wait of a queued conversation; None when not waiting, or when nobody can take it
        now (out of hours, nobody of its group online): then no wait is promised."""
        handoff = self.queue.open_handoff(conversation_id)
        if handoff is None or not self.availability.for_group(handoff.agent_group).staffed:
            return None
        return self._place(conversation_id)

    def _place(self, conversation_id: str) -> dict[str, int] | None:
        place = self.queue.position(conversation_id)
        return {"position": place[0], "wait_minutes": place[1]} if place else None

    async def say(self, conversation: Conversation, role: str, text: str | None,
                  payload: dict[str, Any] | None = None) -> Message:
        """Store something said to the customer and push it to them and to the consoles."""
        message, _ = self.store.add_message(conversation.id, role, text, payload, activity=role != "system")
        event = {"type": "message", "message": message_dict(message)}
        await self.hub.to_customer(conversation.id, event)
        await self.hub.to_consoles(event, assigned_agent_id=conversation.assigned_agent_id)
        return message

    async def hand_off(self, conversation: Conversation, trigger: str, payload: dict[str, Any]) -> list[Message]:
        """Queue the conversation and tell the customer the wait, or, when nobody can take it now,
        open a ticket and say so (bot/gateway/availability.py). Returns what the customer was told."""
        handoff = self.queue.enqueue(conversation.id, trigger, payload)
        staffing = self.availability.for_group(handoff.agent_group)
        status = self._place(conversation.id) if staffing.staffed else None  # staffing is known: no second look
        if staffing.staffed:
            place = status or {"position": 1, "wait_minutes": 1}
            text = self.availability.waiting_text(place["position"], place["wait_minutes"])
        else:
            why = "非工作时间" if not staffing.open_now else "无人在线"
            ticket = self.desk.open_once(conversation, "handoff", TicketRequest(
                title=f"{why}的转人工：{reason_words(handoff.reason)}", problem_class=handoff.problem_class,
                priority=handoff.priority, detail=handoff.summary))
            text = self.availability.unstaffed_text(staffing, ticket)
        await self.hub.to_customer(conversation.id, {"type": "mode", "mode": "queued", "queue": status})
        await self.hub.to_consoles({"type": "queue", "conversation": conversation.id,
                                    "group": handoff.agent_group, "priority": handoff.priority}, everyone=True)
        said = [await self.say(conversation, "system", text)]
        if self.assigner is not None and staffing.staffed:
            await self.assigner.dispatch()  # a push group's conversation is offered to an agent at once
        return said

    async def _ask_bot(self, conversation: Conversation, text: str, turn: Turn) -> None:
        try:
            replies = await self.rasa.send_message(conversation.bot_sender, text)
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for conversation %s: %s", conversation.id, error)
            turn.degraded = True
            replies = [{"text": BOT_UNAVAILABLE_TEXT}]
        handoff = await self._take_replies(conversation, replies, turn)
        if handoff is None and not turn.degraded and explicitly_asks_for_a_person(text):
            try:  # the classifier read something else in the message; the customer asked for a person
                replies = await self.rasa.trigger_intent(conversation.bot_sender, REQUEST_HUMAN_INTENT)
                handoff = await self._take_replies(conversation, replies, turn)
            except RasaUnavailable as error:
                logger.warning("could not hand %s off on request: %s", conversation.id, error)
        if handoff is None and not any(reply.text or _visible(reply.payload) for reply in turn.replies):
            # the last safety net: a policy that predicted no response, an action that uttered nothing
            logger.warning("the bot said nothing visible to %s; the gateway answers instead", conversation.id)
            turn.replies.append(await self.say(conversation, "bot", NOT_UNDERSTOOD_TEXT, {"fallback": "nothing_said"}))
        if handoff is not None:
            turn.replies.extend(await self.hand_off(conversation, "bot", handoff))
        turn.conversation = self.store.conversation(conversation.id) or conversation
        if turn.conversation.mode == "queued":
            turn.queue = self.queue_status(conversation.id)

    async def _take_replies(self, conversation: Conversation, replies: list[dict[str, Any]],
                            turn: Turn) -> dict[str, Any] | None:
        """Say the bot's replies, open or withdraw the tickets they carry; the handoff payload, if any."""
        handoff: dict[str, Any] | None = None
        for reply in replies:
            kept = {key: reply[key] for key in REPLY_KEYS if reply.get(key) is not None}
            if not kept:
                continue
            if (payload := handoff_payload_in(kept.get("custom"))) is not None:
                handoff = payload
            if (promise := ticket_payload_in(kept.get("custom"))) is not None:
                request = TicketRequest.from_payload(promise)
                if request.withdrawn:
                    self.desk.withdraw(conversation, request.reference)
                else:
                    self.desk.open(conversation, "bot", request)
            turn.replies.append(await self.say(conversation, "bot", kept.get("text"),
                                               {k: v for k, v in kept.items() if k != "text"} or None))
        return handoff

    async def _pause_bot(self, conversation: Conversation) -> None:
        try:
            await self.rasa.append_event(conversation.bot_sender, "pause")
        except RasaUnavailable as error:
            logger.warning("could not pause the bot for %s: %s", conversation.id, error)

    async def _take_rating(self, conversation: Conversation, text: str, turn: Turn) -> bool:
        """Store a 1–5 answer to the rating question; anything else goes on to the bot."""
        self.store.update_conversation(conversation.id, awaiting_csat=False)
        match = RATING.match(text)
        if match is None:
            return False
        last = self.queue.last_resolved(conversation.id)
        self.store.add_rating(conversation.id, int(match.group(1)), handoff_id=last.id if last else None,
                              agent_id=last.claimed_by if last else None)
        self.store.audit("customer", "rated", conversation.id, match.group(1))
        turn.replies.append(await self.say(conversation, "system", THANKS_FOR_RATING, {"csat": int(match.group(1))}))
        return True
