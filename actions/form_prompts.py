"""The questions forms ask, one `action_ask_<slot>` per slot.

They are actions rather than `utter_ask_<slot>` responses because `rasa data validate
--fail-on-warnings` (Rasa 3.6) reports form-only responses as "not used in any story or rule".
"""
import random
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.own_orders import matching_orders, recent_orders_line

PROMPTS = {
    "order_number": ("请告诉我您的订单号，格式是HW加10位数字，例如HW2026110001。只输入数字也可以。",
                     "麻烦提供一下订单号（HW开头加10位数字），我马上帮您查。"),
    "phone_tail": ("为了保护您的隐私，请告诉我下单手机号的后四位。",
                   "先核对一下身份：请输入收货手机号的后四位数字。"),
    "return_reason": ("请问退换货的原因是什么？比如尺码不合适、不喜欢、质量问题、发错货。",
                      "方便说一下为什么要退换吗？例如尺码不合适、质量问题或者发错货。"),
    "item_condition": ("商品现在是什么状态？未拆封、已拆封未使用，还是已经使用过？",
                       "请问商品用过吗？是未拆封、拆封未使用，还是已使用？"),
    "new_address": ("请告诉我新的收货地址，包括省、市、区和详细地址。",
                    "请输入完整的新地址（省市区+街道门牌号）。"),
    "complaint_detail": ("非常抱歉让您不满意。请您具体说说发生了什么，我认真听着。",
                         "给您添麻烦了，很抱歉。请您把遇到的情况详细告诉我。"),
    "complaint_resolution": ("您希望我们怎么处理？例如：退款、换货、补偿，或者由专人联系您。",
                             "为了把事情处理好，请问您希望的解决方式是什么？退款、换货、补偿或专人回电都可以。"),
    "invoice_title": ("请告诉我发票抬头：公司发票请发公司全称和税号，个人发票回复“个人”即可。",
                      "发票开给谁呢？公司请提供抬头（公司全称）和税号；个人的话回复“个人”就行。"),
    "tax_id": ("请提供公司的税号（纳税人识别号，一般是18位数字和大写字母）。",
               "麻烦发一下公司税号（统一社会信用代码，18位）。"),
}


class _AskForSlot(Action, ABC):
    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this action asks for."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=random.choice(PROMPTS[self.slot]))
        return []


def _opening_message(tracker: Tracker) -> str:
    """The customer's message that names the item ("耳机那单") the orders are listed by: the latest
    one since the form started (with the message that started it) that names one of their items, so
    that asking again after a digression ("大概还要几天到账") still lists the orders of that item."""
    latest = tracker.latest_message.get("text") or ""
    form = (tracker.active_loop or {}).get("name")
    since_form: List[str] = []
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            since_form.append(event.get("text") or "")
            if started or not form:
                break
        elif event.get("event") == "active_loop" and form and event.get("name") == form:
            started = True
    return next((text for text in since_form if matching_orders(tracker.sender_id, text)), latest)


class AskOrderNumber(_AskForSlot):
    """An identified customer also sees their recent orders, so the answer can be "the first one"
    or the item's name (actions/own_orders.py), not a number looked up elsewhere."""
    slot = "order_number"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        recent = recent_orders_line(tracker.sender_id, _opening_message(tracker))
        if recent is None:
            return await super().run(dispatcher, tracker, domain)
        dispatcher.utter_message(text=f"{recent}请问是哪一单？发订单号或商品名称都可以。")
        return []


class AskPhoneTail(_AskForSlot):
    slot = "phone_tail"


class AskReturnReason(_AskForSlot):
    slot = "return_reason"


class AskItemCondition(_AskForSlot):
    slot = "item_condition"


class AskNewAddress(_AskForSlot):
    slot = "new_address"


class AskComplaintDetail(_AskForSlot):
    slot = "complaint_detail"


class AskComplaintResolution(_AskForSlot):
    slot = "complaint_resolution"


class AskInvoiceTitle(_AskForSlot):
    slot = "invoice_title"


class AskTaxId(_AskForSlot):
    slot = "tax_id"
