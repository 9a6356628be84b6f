"""Return / exchange form: order, reason and item condition, decided by the shop's rules."""
import re
from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.policy import classify_item_condition, decide_return, is_quality_reason, return_blocker
from actions.product_names import product_named_in
from actions.promises import keep_promise
from actions.shop.repository import Order
from actions.store import shop_repository
from actions.verification import OrderFormValidation, refuse_unverified, verified_order
from actions.withdrawal import filed
from bot.handoff import OPERATION

REFUND_TIMING = "仓库收到退货后48小时内审核，退款1–3个工作日原路退回（银行卡最长5个工作日）。"


_REASON = re.compile(r"不合适|不合身|大了|小了|尺码|不喜欢|质量|坏|破|发错|错发|瑕疵|开胶|少件|漏发|不想要|色差|不符|掉色|起球")


def return_details_in(text: str) -> Dict[Text, Any]:
    """What the opening message already says ("运动鞋穿着不合适 想退", "包装都没拆"): the form does not
    ask for it again."""
    details: Dict[Text, Any] = {}
    if _REASON.search(text):
        details["return_reason"] = text.strip()
    condition = classify_item_condition(text)
    if condition:
        details["item_condition"] = condition
    return details


def excluded_item_note(text: str) -> Optional[str]:
    """A return request that names an item excluded from seven-day returns ("保暖内衣买小了 退了吧")
    hears so at once, before the form asks which order; a quality problem can still be returned."""
    if is_quality_reason(text):
        return None
    product = product_named_in(text, shop_repository().products())
    if product is None or product.no_reason_return:
        return None
    return (f"先跟您说明：{product.name}属于{product.category}类商品，不支持七天无理由退货；"
            "如果有质量问题，仍可以申请退换。")


class ValidateReturnForm(OrderFormValidation):
    def name(self) -> Text:
        return "validate_return_form"

    def order_blocker(self, order: Order) -> Optional[str]:
        return return_blocker(order, date.today())

    def validate_return_reason(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        reason = str(value).strip()
        if len(reason) < 2:
            dispatcher.utter_message(text="能再具体说一下原因吗？比如尺码不合适、质量问题。")
            return {"return_reason": None}
        return {"return_reason": reason}

    def validate_item_condition(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        condition = classify_item_condition(str(value))
        if condition is None:
            dispatcher.utter_message(text="没太明白。请回答：未拆封、已拆封未使用，或已使用。")
        return {"item_condition": condition}


class ActionSubmitReturn(Action):
    def name(self) -> Text:
        return "action_submit_return"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        reset = [SlotSet("return_reason", None), SlotSet("item_condition", None)]
        order = verified_order(tracker)
        if order is None:
            refuse_unverified(dispatcher)
            return reset
        blocker = return_blocker(order, date.today())
        if blocker:
            dispatcher.utter_message(text=blocker)
            return reset
        repository = shop_repository()
        reason = tracker.get_slot("return_reason") or ""
        condition = tracker.get_slot("item_condition") or ""
        decision = decide_return(order, repository.order_items(order.order_number), reason,
                                 condition, date.today())
        if not decision.accepted:
            dispatcher.utter_message(text=f"抱歉，{decision.explanation}如有疑问，可以说“转人工”。")
            return reset
        request_id = repository.create_return_request(
            order.order_number, reason, condition, "商家" if decision.shop_pays_shipping else "客户")
        dispatcher.utter_message(
            text=f"已为您提交订单{order.order_number}的退换货申请，申请编号R{request_id:06d}。"
                 f"退换原因：{reason}。{decision.explanation}{REFUND_TIMING}")
        keep_promise(dispatcher, f"退换货订单{order.order_number}：收货后审核", OPERATION, f"R{request_id:06d}",
                     f"原因：{reason}；商品状态：{condition}")
        return [*reset, filed("return", f"R{request_id:06d}", order.order_number)]
