"""Price protection form (价保): a customer whose purchase got cheaper asks for the difference back
("前天买的羊毛衫今天降价了 差价能退给我吗", "订单2026110002降价了 帮我申请价保").

The form finds and verifies the order like every order form (actions/verification.py); the submit
action files a request for the service team, who check the price drop and refund the difference,
while the order is within the 7 days of docs/shop-facts.md. A question about the rule ("价保怎么申请")
never gets here: action_answer_topic answers it from the knowledge base.
"""
from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.policy import price_protection_blocker
from actions.promises import keep_promise
from actions.shop.repository import Order
from actions.store import shop_repository
from actions.verification import OrderFormValidation, order_to_act_on
from actions.withdrawal import filed
from bot.handoff import OPERATION

DIFFERENCE_REFUND = "核实降价后，差价会在1–3个工作日内原路退回，银行卡最长5个工作日。"
DIFFERENCE_REFUND_HOURS = 72  # the three working days above, as the ticket's deadline


class ValidatePriceProtectForm(OrderFormValidation):
    def name(self) -> Text:
        return "validate_price_protect_form"

    def order_blocker(self, order: Order) -> Optional[str]:
        return price_protection_blocker(order, date.today())


class ActionSubmitPriceProtect(Action):
    def name(self) -> Text:
        return "action_submit_price_protect"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        order = order_to_act_on(dispatcher, tracker, lambda order: price_protection_blocker(order, date.today()))
        if order is None:
            return []
        request_id = shop_repository().create_price_protection_request(order.order_number)
        dispatcher.utter_message(text=f"已为您提交订单{order.order_number}的价保申请（申请编号P{request_id}）。"
                                      f"{DIFFERENCE_REFUND}")
        keep_promise(dispatcher, f"价保订单{order.order_number}：核实降价并退差价", OPERATION, f"P{request_id}",
                     due_hours=DIFFERENCE_REFUND_HOURS)
        return [filed("price_protect", f"P{request_id}", order.order_number)]
