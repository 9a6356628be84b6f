"""Order lookup form: show status, logistics and refund of a verified order."""
from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.shop.repository import Order, ShopRepository
from actions.store import shop_repository
from actions.verification import OrderFormValidation, refuse_unverified, verified_order

REMOTE_REGIONS = ("新疆", "西藏", "青海")
LATEST_EVENTS_SHOWN = 3
STATUS_NOTES = {
    "待付款": "订单还没有付款，会为您保留30分钟，请尽快完成支付。",
    "待发货": "16:00前付款的订单当天发货，其余48小时内发出，请您耐心等待。",
    "已发货": "包裹正在运输途中。",
    "派送中": "快递员正在派送，请保持电话畅通。",
    "已签收": "包裹已经签收。签收7天内支持无理由退货。",
    "已取消": "订单已取消，付过的款项会原路退回。",
    "退款中": "订单正在退款。",
    "已退款": "订单已退款完成。",
}


class ValidateOrderLookupForm(OrderFormValidation):
    def name(self) -> Text:
        return "validate_order_lookup_form"


def describe_order(repository: ShopRepository, order: Order, today: date) -> str:
    """A short, customer-facing description: status, items, logistics and refund."""
    items = "、".join(item.name for item in repository.order_items(order.order_number))
    lines = [f"订单{order.order_number}（{items}）当前状态：{order.status}。{STATUS_NOTES[order.status]}"]
    if order.carrier:
        lines.append(f"承运快递：{order.carrier}，运单号{order.tracking_number}。")
        for event in repository.logistics_events(order.order_number)[:LATEST_EVENTS_SHOWN]:
            lines.append(f"· {event.happened_at[5:16]} {event.location}：{event.description}")
    remote = any(region in order.address for region in REMOTE_REGIONS)
    if order.status in ("已发货", "派送中"):
        lines.append("偏远地区一般5–7天送达。" if remote else "国内一般1–3天送达。")
    elif order.status in ("待付款", "待发货"):  # "when will it arrive" is the next question
        lines.append("发货后偏远地区一般5–7天送达。" if remote else "发货后国内一般1–3天送达。")
    refund = repository.refund(order.order_number)
    if refund:
        timing = "最长5个工作日" if refund.payment_method == "银行卡" else "1–3个工作日"
        lines.append(f"退款{refund.amount:.2f}元，状态：{refund.status}，原路退回{refund.payment_method}，"
                     f"审核通过后{timing}到账。")
    return "\n".join(lines)


class ActionShowOrder(Action):
    def name(self) -> Text:
        return "action_show_order"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        order = verified_order(tracker)
        if order is None:
            refuse_unverified(dispatcher)
            return []
        dispatcher.utter_message(text=describe_order(shop_repository(), order, date.today()))
        return []
