"""Order ownership check shared by every form that touches an order.

A customer sees an order only if the channel's sender is the order's owner (a shop account the
gateway verified from an identity token, bot/gateway/identity.py), or if they give the last four
digits of the order's phone. The check is per order: asking about another order asks
again. After three wrong answers the form stops asking and the submit action refuses politely.
"""
from abc import abstractmethod
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.knowledge_answer import answer_from_knowledge
from actions.own_orders import own_order_in
from actions.parsing import marked_phone_tail, normalize_order_number, parse_phone_tail
from actions.request_kind import request_kind
from actions.shop.repository import Order
from actions.store import shop_repository

MAX_VERIFICATION_ATTEMPTS = 3


async def answered_a_question_instead(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """A customer asked for an order number may ask a rule question instead ("那晚上八点下单呢"):
    answer it from the knowledge base (the form then asks again) rather than call it a bad number."""
    if request_kind(tracker.latest_message.get("text") or "") != "question":
        return False
    answered, _ = await answer_from_knowledge(dispatcher, tracker)
    return answered


def verified_order(tracker: Tracker) -> Optional[Order]:
    """The order in the `order_number` slot if this conversation has proven ownership of it."""
    order_number = tracker.get_slot("order_number")
    if not order_number or tracker.get_slot("verified_order") != order_number:
        return None
    return shop_repository().order(order_number)


class OrderFormValidation(FormValidationAction):
    """Validates `order_number` and `phone_tail`; subclasses add their own slots and checks."""

    @abstractmethod
    def name(self) -> Text:
        """Subclasses are the `validate_<form>` actions."""

    def order_blocker(self, order: Order) -> Optional[str]:
        """Why the form must stop for this (verified) order; the submit action explains it."""
        return None

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        if (tracker.get_slot("verification_attempts") or 0) >= MAX_VERIFICATION_ATTEMPTS:
            return []
        order = verified_order(tracker)
        if order is None:
            return domain_slots
        if self.order_blocker(order):
            return []
        return [slot for slot in domain_slots if slot != "phone_tail"]

    async def validate_order_number(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        order_number = normalize_order_number(str(value)) or own_order_in(tracker.sender_id, str(value))
        if order_number is None and await answered_a_question_instead(dispatcher, tracker):
            return {"order_number": None}
        if order_number is None and marked_phone_tail(str(value)):
            # a phone tail while the order number is still missing (often right after "没有查到"):
            # the number is what is wrong, so say so instead of calling the tail a bad number
            dispatcher.utter_message(text="收到手机尾号。不过还需要一个能查到的订单号：请核对订单号"
                                          "（HW加10位数字，可在“我的订单”里查看）后再发给我。")
            return {"order_number": None}
        if order_number is None:
            dispatcher.utter_message(text="这个订单号格式不对。订单号是HW加10位数字，例如HW2026110001，"
                                          "请再输入一次。不查了可以说“算了”。")
            return {"order_number": None}
        repository = shop_repository()
        order = repository.order(order_number)
        if order is None:
            dispatcher.utter_message(text=f"没有查到订单号{order_number}。请核对一下数字，"
                                          "订单号可以在“我的订单”里看到。")
            return {"order_number": None}
        if tracker.get_slot("verified_order") == order_number:
            return {"order_number": order_number}
        owner = repository.customer_by_sender(tracker.sender_id)
        if owner is not None and owner.id == order.customer_id:
            return {"order_number": order_number, "verified_order": order_number}
        # the phone tail given in the same message ("订单… 手机尾号1234") is not asked for again
        tail = marked_phone_tail(tracker.latest_message.get("text") or "")
        order_owner = repository.customer_by_id(order.customer_id)
        if tail and order_owner is not None and order_owner.phone.endswith(tail):
            dispatcher.utter_message(text="身份核对通过，谢谢您。")
            return {"order_number": order_number, "verified_order": order_number, "phone_tail": tail}
        return {"order_number": order_number, "verified_order": None, "phone_tail": None,
                "verification_attempts": 0}

    async def validate_phone_tail(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        tail = parse_phone_tail(str(value))
        if tail is None and await answered_a_question_instead(dispatcher, tracker):
            return {"phone_tail": None}
        if tail is None:
            dispatcher.utter_message(text="请只输入下单手机号的后四位数字，例如 5678。")
            return {"phone_tail": None}
        repository = shop_repository()
        order = repository.order(tracker.get_slot("order_number") or "")
        owner = repository.customer_by_id(order.customer_id) if order else None
        if owner is not None and owner.phone.endswith(tail):
            dispatcher.utter_message(text="身份核对通过，谢谢您。")
            return {"phone_tail": tail, "verified_order": order.order_number}
        attempts = int(tracker.get_slot("verification_attempts") or 0) + 1
        left = MAX_VERIFICATION_ATTEMPTS - attempts
        if left > 0:
            dispatcher.utter_message(text=f"手机尾号和订单信息对不上，请再核对一下（还可以试{left}次）。")
        return {"phone_tail": None, "verification_attempts": attempts}


def refuse_unverified(dispatcher: CollectingDispatcher) -> None:
    """What every submit action says when ownership was not proven."""
    dispatcher.utter_message(text="抱歉，身份核对没有通过。为了保护订单隐私，我不能显示或修改这个订单。"
                                  "如需帮助，可以说“转人工”。")


def order_to_act_on(dispatcher: CollectingDispatcher, tracker: Tracker,
                    blocker: Callable[[Order], Optional[str]]) -> Optional[Order]:
    """The verified order a submit action may act on, or None after telling the customer why not
    (ownership not proven, or the shop rule `blocker` names)."""
    order = verified_order(tracker)
    if order is None:
        refuse_unverified(dispatcher)
        return None
    reason = blocker(order)
    if reason:
        dispatcher.utter_message(text=reason)
        return None
    return order
