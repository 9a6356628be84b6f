"""A customer who changes their mind right after the bot filed a request gets it withdrawn.

"耳机那单取消吧" files a cancellation; "哎算了 还是先不取消了" a moment later used to get "明白，还有其
他需要帮忙的" while the request (and its ticket) stayed filed, so the warehouse would still
intercept the parcel. Every submit action that files a request remembers it in the `filed_request`
slot (kind, reference, order). A stop or deny outside a form (`action_acknowledge_stop`) then
withdraws it when the message names that kind of request with a negation ("不取消了", "发票先不开了",
"别退了 留着"); a bare "不用了" after "还有其他需要吗" withdraws nothing. The withdrawal is recorded
in the shop (request_withdrawals) and the request's ticket is closed in the gateway (bot/tickets.py).
"""
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.store import shop_repository
from bot.handoff import OPERATION
from bot.tickets import TICKET_KEY, TicketRequest

SLOT = "filed_request"
SEPARATOR = "|"
_NEGATION = r"(?:不|别|甭|不用|不要|不必|无需|先不|暂时不|还是不)"
_ANY_KIND = r"(?:撤回|撤销|撤掉)"
KINDS: Dict[str, Dict[str, str]] = {
    # kind: what the customer calls it, the words that withdraw it, what happens once withdrawn
    "cancel": {"name": "取消申请",
               "withdraws": rf"{_NEGATION}.{{0,3}}取消|(?:还是|我还|东西还)要(?:的|了|吧)?(?:$|[，。,.!！~])|留着|照常发",
               "after": "订单会照常发货。"},
    "return": {"name": "退换货申请",
               "withdraws": rf"{_NEGATION}.{{0,3}}(?:退|换)|留着",
               "after": "商品留在您手里就好，无需寄回。"},
    "invoice": {"name": "发票申请",
                "withdraws": rf"{_NEGATION}.{{0,3}}(?:开|要)?(?:发票|票)|发票.{{0,4}}{_NEGATION}.{{0,2}}(?:开|要)",
                "after": "需要时再找我开就行。"},
    "price_protect": {"name": "价保申请",
                      "withdraws": rf"{_NEGATION}.{{0,3}}(?:价保|差价|补)|(?:价保|差价).{{0,4}}{_NEGATION}",
                      "after": "购买后7天内还可以重新申请。"},
}


def filed(kind: str, reference: str, order_number: str) -> EventType:
    """The slot event a submit action returns after filing a request the customer may withdraw."""
    return SlotSet(SLOT, SEPARATOR.join((kind, reference, order_number)))


def parse_filed(value: Any) -> Optional[tuple[str, str, str]]:
    """(kind, reference, order number) from the slot, None when it holds nothing usable."""
    parts = str(value or "").split(SEPARATOR)
    if len(parts) != 3 or parts[0] not in KINDS or not parts[1]:
        return None
    kind, reference, order_number = parts
    return kind, reference, order_number


def withdraws(text: str, kind: str) -> bool:
    """Whether `text` takes back a request of `kind`: a negation before its verb, or 撤回 with its name."""
    text = re.sub(r"\s+", "", text or "")
    named = rf"(?:申请|{KINDS[kind]['name'][:2]})"
    if re.search(rf"{_ANY_KIND}.{{0,6}}{named}|{named}.{{0,6}}{_ANY_KIND}", text):
        return True
    return re.search(KINDS[kind]["withdraws"], text) is not None


class ActionAcknowledgeStop(Action):
    """A stop or deny with no form running: a withdrawal of the request just filed, or nothing to do."""

    def name(self) -> Text:
        return "action_acknowledge_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        request = parse_filed(tracker.get_slot(SLOT))
        if request and withdraws(tracker.latest_message.get("text") or "", request[0]):
            return [FollowupAction("action_submit_withdrawal")]
        dispatcher.utter_message(response="utter_anything_else")
        return []


class ActionSubmitWithdrawal(Action):
    """Withdraw the request in `filed_request`: record it, close its ticket, tell the customer."""

    def name(self) -> Text:
        return "action_submit_withdrawal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        request = parse_filed(tracker.get_slot(SLOT))
        if request is None:
            dispatcher.utter_message(text="您在这次对话里还没有提交过申请，不需要撤回。还有其他可以帮您的吗？")
            return []
        kind, reference, order_number = request
        shop_repository().withdraw_request(reference, order_number)
        dispatcher.utter_message(text=f"好的，已为您撤回订单{order_number}的{KINDS[kind]['name']}"
                                      f"（申请编号{reference}），{KINDS[kind]['after']}")
        withdrawn = TicketRequest(title=f"客户撤回{KINDS[kind]['name']}{reference}", problem_class=OPERATION,
                                  reference=reference, withdrawn=True)
        dispatcher.utter_message(json_message={TICKET_KEY: withdrawn.to_payload()})
        return [SlotSet(SLOT, None)]
