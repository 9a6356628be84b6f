"""Cancel form: a customer's request to cancel their own order ("耳机那单取消吧", "帮我把2026110002取消了").

The form finds and verifies the order like every order form (actions/verification.py); the submit
action files a cancellation request while the parcel has not left the warehouse (待付款, 待发货) and
otherwise says what can be done instead (refuse the parcel, return it). A question about the rule
("取消订单要钱吗") never gets here: action_triage_request answers it from the knowledge base.
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.policy import cancel_blocker
from actions.promises import keep_promise
from actions.shop.repository import Order
from actions.store import shop_repository
from actions.verification import OrderFormValidation, order_to_act_on
from actions.withdrawal import filed
from bot.handoff import OPERATION

REFUND_AFTER_CANCEL = "已付的款项会原路退回，一般1–3个工作日到账，银行卡最长5个工作日。"


class ValidateCancelForm(OrderFormValidation):
    def name(self) -> Text:
        return "validate_cancel_form"

    def order_blocker(self, order: Order) -> Optional[str]:
        return cancel_blocker(order)


class ActionSubmitCancel(Action):
    def name(self) -> Text:
        return "action_submit_cancel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        order = order_to_act_on(dispatcher, tracker, cancel_blocker)
        if order is None:
            return []
        request_id = shop_repository().create_cancel_request(order.order_number, order.status)
        refund = "订单还没有付款，不会产生扣款。" if order.status == "待付款" else REFUND_AFTER_CANCEL
        dispatcher.utter_message(text=f"已为您提交订单{order.order_number}的取消申请（申请编号C{request_id}），"
                                      f"仓库拦截后订单即取消。{refund}")
        keep_promise(dispatcher, f"取消订单{order.order_number}：通知仓库拦截", OPERATION, f"C{request_id}",
                     f"下单状态：{order.status}")
        return [filed("cancel", f"C{request_id}", order.order_number)]
