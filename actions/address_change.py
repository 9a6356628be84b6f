"""Address change form: possible until the parcel leaves the warehouse."""
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.policy import address_change_blocker
from actions.shop.repository import Order
from actions.store import shop_repository
from actions.verification import OrderFormValidation, refuse_unverified, verified_order

MIN_ADDRESS_LENGTH = 8
ADDRESS_MARKERS = ("省", "市", "区", "县", "路", "街", "号", "镇", "村")
# "帮我把地址改成北京市海淀区中关村大街27号", "4238 改到乌鲁木齐市水磨沟区南湖东路8号": a new address said
# beside another request or answer
_NEW_ADDRESS = re.compile(r"(?:改成|改到|改为|换成|换到|寄到|送到|新地址是?|地址是|地址[:：])\s*([^，,。；;！!？?\s]{%d,60})"
                          % MIN_ADDRESS_LENGTH)


def looks_like_an_address(text: str) -> bool:
    return len(text) >= MIN_ADDRESS_LENGTH and sum(marker in text for marker in ADDRESS_MARKERS) >= 2


def new_address_in(text: str) -> Optional[str]:
    """The new address a message gives in passing, if it gives one."""
    found = _NEW_ADDRESS.search(text or "")
    return found.group(1) if found and looks_like_an_address(found.group(1)) else None


class ValidateAddressChangeForm(OrderFormValidation):
    def name(self) -> Text:
        return "validate_address_change_form"

    def order_blocker(self, order: Order) -> Optional[str]:
        return address_change_blocker(order)

    async def extract_new_address(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        """The address given in the message that started the form, or beside the phone digits: not
        asked for again. When the form asks for it, the slot's from_text mapping reads the answer."""
        if tracker.get_slot("requested_slot") == "new_address" or tracker.get_slot("new_address"):
            return {}
        address = new_address_in(tracker.latest_message.get("text") or "")
        return {"new_address": address} if address else {}

    def validate_new_address(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        address = str(value).strip()
        for prefix in ("新地址是", "改到", "寄到", "地址是", "改成"):
            address = address.removeprefix(prefix)
        if not looks_like_an_address(address):
            dispatcher.utter_message(text="这个地址好像不完整。请写上省、市、区和街道门牌号。")
            return {"new_address": None}
        return {"new_address": address}


class ActionSubmitAddressChange(Action):
    def name(self) -> Text:
        return "action_submit_address_change"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        reset = [SlotSet("new_address", None)]
        order = verified_order(tracker)
        if order is None:
            refuse_unverified(dispatcher)
            return reset
        blocker = address_change_blocker(order)
        if blocker:
            dispatcher.utter_message(text=blocker)
            return reset
        new_address = tracker.get_slot("new_address")
        shop_repository().change_address(order.order_number, new_address)
        dispatcher.utter_message(text=f"已将订单{order.order_number}的收货地址改为：{new_address}。"
                                      "发货后您会收到短信通知。")
        return reset
