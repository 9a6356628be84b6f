"""The router's risk checks (bot/gateway/router.py mixes them in): a risky message, a question asked
for the third time or a danger told over two messages goes to a person before the bot answers it.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bot.config import GatewaySettings
from bot.gateway.context_risk import danger_across_turns
from bot.gateway.risk import risk_handoff, risk_reply
from bot.gateway.store import Store
from bot.risk.detector import RiskDetector, RiskFinding
from bot.risk.repetition import HANDOFF_AT, says_contacted_again, times_asked

if TYPE_CHECKING:
    from bot.gateway.live_watch import LiveWatch
    from bot.gateway.models import Conversation
    from bot.gateway.rasa_client import RasaClient
    from bot.gateway.router import Turn

logger = logging.getLogger("kefu.gateway.router")

RECENT_MESSAGES = 20  # how many earlier customer messages the gateway compares for the same question


def _could_be_a_value(text: str) -> bool:
    """Addresses, order numbers and phone tails all carry digits; a message without one is the
    customer saying something else ("再拖我就去消协投诉你们") and is read for risk like any other."""
    return any(char.isdigit() for char in text)



class RiskChecks:
    """Needs the router's store, rasa client, settings, risk detector and desk watch, and its
    `say`, `hand_off`, `queue_status` and `_pause_bot`."""
    store: Store
    rasa: "RasaClient"
    settings: GatewaySettings
    risk: RiskDetector
    watch: "LiveWatch | None"

    async def _hand_off_risk(self, conversation: Conversation, text: str, finding: RiskFinding, turn: Turn) -> None:
        """A risky message goes to a person before the bot answers it: pause the bot, say so, queue."""
        await self._pause_bot(conversation)
        turn.replies.append(await self.say(conversation, "system", risk_reply(finding, text)))
        turn.replies.extend(await self.hand_off(conversation, "risk", risk_handoff(finding, text)))
        turn.conversation = self.store.conversation(conversation.id) or conversation
        turn.queue = self.queue_status(conversation.id)

    async def _assess_risk(self, conversation: Conversation, text: str, message_id: int) -> RiskFinding | None:
        """The risk check, unless the message answers a form's request for a value (gateway.value_slots)
        and could be one (it has a digit): "广州市报警中心旁3单元" given as the new address is an address,
        not a call for the police. Rasa is asked about the form only when the message looks risky.
        A danger told over two messages counts too (context_risk.py)."""
        try:
            finding = await asyncio.to_thread(self.risk.assess, text)
            if finding is None and self.watch is not None:
                finding = await asyncio.to_thread(danger_across_turns, self.store, self.risk,
                                                  self.watch.sentiment_model(), conversation.id, message_id, text)
        except Exception:  # noqa: BLE001 - a broken check must not cost the customer their answer
            logger.exception("the risk check failed for conversation %s; the bot answers", conversation.id)
            return None
        if finding is not None and self.settings.value_slots and _could_be_a_value(text) \
                and await self.rasa.requested_slot(conversation.bot_sender) in self.settings.value_slots:
            return None
        return finding

    async def _only_the_word_complaint(self, text: str, finding: RiskFinding) -> bool:
        """"我的投诉处理得怎么样了": the word 投诉 is no risk in a question about progress; but with any
        other sign ("…再不处理我就找媒体曝光") the handoff wins."""
        if finding.risk_class != "complaint":
            return False
        try:
            return await asyncio.to_thread(self.risk.assess, text.replace("投诉", "反馈")) is None
        except Exception:  # noqa: BLE001 - unsure: a person
            return False

    def _asked_again(self, conversation: Conversation, message_id: int, text: str) -> RiskFinding | None:
        """The same question for the third time in this conversation, or the customer saying this is a
        repeated contact ("第三次了"): the bot has not helped."""
        earlier = self.store.recent_customer_texts(conversation.id, RECENT_MESSAGES, before_id=message_id)
        count = times_asked(text, earlier)
        if count >= HANDOFF_AT:
            return RiskFinding("repeated_anger", f"asked:{count}")
        return RiskFinding("repeated_anger", "said:contacted again") if says_contacted_again(text) else None
