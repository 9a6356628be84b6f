"""Address change form: possible until the parcel leaves the warehouse."""
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


class ValidateAddressChangeForm(OrderFormValidation):
    def name(self) -> Text:
        return "validate_address_change_form"

    def order_blocker(self, order: Order) -> Optional[str]:
        return address_change_blocker(order)

    def validate_new_address(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        address = str(value).strip()
        for prefix in ("新地址是", "改到", "寄到", "地址是", "改成"):
            address = address.removeprefix(prefix)
        markers = sum(marker in address for marker in ADDRESS_MARKERS)
        if len(address) < MIN_ADDRESS_LENGTH or markers < 2:
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
