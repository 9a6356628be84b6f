"""Shop rules from docs/shop-facts.md that decide what the bot may do with an order."""
from dataclasses import dataclass
from datetime import date, datetime
from typing import List, Optional

from actions.shop.repository import Order, OrderItem

NO_REASON_DAYS = 7
QUALITY_DAYS = 15
RETURN_SHIPPING_INSURANCE = 12
PRICE_PROTECTION_DAYS = 7
INVOICE_REQUEST_DAYS = 90
_QUALITY_WORDS = ("质量", "破", "坏", "碎", "发错", "错发", "瑕疵", "漏", "划痕", "开胶", "用不了",
                  "不能用", "少件", "漏发", "假货", "变形")
_UNUSED_WORDS = ("未拆封", "没拆", "没用", "未使用", "没穿", "吊牌还在", "全新", "没动")
_USED_WORDS = ("用过", "穿过", "使用过", "已使用", "洗过", "剪了吊牌", "吊牌剪", "用了", "穿了")


@dataclass(frozen=True)
class ReturnDecision:
    accepted: bool
    shop_pays_shipping: bool
    explanation: str


def is_quality_reason(reason: str) -> bool:
    return any(word in reason for word in _QUALITY_WORDS)


def classify_item_condition(text: str) -> Optional[str]:
    """One of 未拆封 / 已拆封未使用 / 已使用, or None when the answer says neither."""
    if any(word in text for word in ("未拆封", "没拆")):
        return "未拆封"
    if any(word in text for word in _UNUSED_WORDS):
        return "已拆封未使用"
    if any(word in text for word in _USED_WORDS):
        return "已使用"
    return None


def shipping_for_this_return(reason: str) -> str:
    """Who pays the return shipping of the return being filed, from its reason: the answer to
    "运费谁出" inside the return form is about this return, not the rule in general."""
    if is_quality_reason(reason):
        return "您这次是质量问题，来回运费都由好物优选承担，不用您出。"
    return (f"您这次属于七天无理由退货，寄回运费需要您承担；买了运费险的，最多补贴{RETURN_SHIPPING_INSURANCE}元。"
            "如果商品其实有质量问题，告诉我具体情况，运费就由我们承担。")


def return_blocker(order: Order, today: date) -> Optional[str]:
    """Why this order cannot be returned at all, or None when a return may be discussed."""
    if order.status in ("待付款", "待发货"):
        return "这个订单还没有发货，不需要退货，直接在订单页取消即可，钱款原路退回。"
    if order.status in ("已发货", "派送中"):
        return "包裹还在路上。您可以拒收，或者签收后再申请退换货。"
    if order.status in ("退款中", "已退款"):
        return "这个订单已经在退款流程中了，不需要重复申请。"
    if order.status == "已取消":
        return "这个订单已经取消了，无需退货。"
    if _days_since_delivery(order, today) > QUALITY_DAYS:
        return f"这个订单签收已超过{QUALITY_DAYS}天，超出了退换货期限。商品有故障的话，可以走保修售后。"
    return None


def decide_return(order: Order, items: List[OrderItem], reason: str, condition: str,
                  today: date) -> ReturnDecision:
    """Quality problems: 15 days, shop pays shipping. No reason: 7 days, unused, eligible items."""
    if is_quality_reason(reason):
        return ReturnDecision(True, True, "属于质量问题，来回运费由好物优选承担。")
    if _days_since_delivery(order, today) > NO_REASON_DAYS:
        return ReturnDecision(False, False, f"七天无理由退货需在签收后{NO_REASON_DAYS}天内申请，"
                                            "这个订单已经超过了。")
    excluded = [item.name for item in items if not item.no_reason_return]
    if excluded:
        return ReturnDecision(False, False, f"{'、'.join(excluded)}属于内衣、食品、定制或礼品卡类商品，"
                                            "不支持七天无理由退货。")
    if condition == "已使用":
        return ReturnDecision(False, False, "七天无理由退货要求商品未使用、吊牌和包装完好，已使用的商品无法办理。")
    return ReturnDecision(True, False, f"属于七天无理由退货，寄回运费由您承担；买了运费险的，"
                                       f"最多补贴{RETURN_SHIPPING_INSURANCE}元。")


def address_change_blocker(order: Order) -> Optional[str]:
    """Addresses can change until the parcel leaves the warehouse."""
    if order.status in ("待付款", "待发货"):
        return None
    if order.status in ("已发货", "派送中"):
        return "包裹已经从仓库发出，不能再修改地址了。您可以联系承运快递申请改派。"
    return f"这个订单当前状态是“{order.status}”，不能修改地址。"


def cancel_blocker(order: Order) -> Optional[str]:
    """An order can be cancelled until the parcel leaves the warehouse; afterwards it is refused or returned."""
    if order.status in ("待付款", "待发货"):
        return None
    if order.status in ("已发货", "派送中"):
        return ("订单已经发货，不能直接取消了。您可以拒收包裹，包裹退回仓库后为您原路退款；"
                "也可以签收后申请退货。")
    if order.status == "已签收":
        return "这个订单已经签收，不能取消了。需要退货的话，跟我说“我要退货”就可以申请。"
    if order.status in ("已取消", "已退款"):
        return f"这个订单已经{order.status[1:]}，不需要再取消。"
    return f"这个订单当前状态是“{order.status}”，不能取消。"


def price_protection_blocker(order: Order, today: date) -> Optional[str]:
    """价保: within 7 days of the purchase, for an order that was paid and is not being refunded."""
    if order.status == "待付款":
        return "这个订单还没有付款，按当前价格付款就可以了，不涉及价保。"
    if order.status in ("已取消", "退款中", "已退款"):
        return f"这个订单当前状态是“{order.status}”，不能再申请价保。"
    days = (today - datetime.fromisoformat(order.created_at).date()).days
    if days > PRICE_PROTECTION_DAYS:
        return (f"价保需在购买后{PRICE_PROTECTION_DAYS}天内申请，这个订单下单已经{days}天，"
                "超过了价保期，很抱歉不能补差价了。")
    return None


def invoice_blocker(order: Order, today: date) -> Optional[str]:
    """E-invoices may be requested up to 90 days after the order, for an order that was paid and kept."""
    if order.status == "待付款":
        return "这个订单还没有付款，付款并签收后就可以申请发票。"
    if order.status in ("已取消", "已退款"):
        return f"这个订单已经{order.status[1:]}，不能开具发票。"
    if (today - datetime.fromisoformat(order.created_at).date()).days > INVOICE_REQUEST_DAYS:
        return f"发票需在下单后{INVOICE_REQUEST_DAYS}天内申请，这个订单已经超过了，很抱歉不能再开具。"
    return None


def _days_since_delivery(order: Order, today: date) -> int:
    if not order.delivered_at:
        return 0
    return (today - datetime.fromisoformat(order.delivered_at).date()).days
