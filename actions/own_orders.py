"""Which of an identified customer's own orders a message means ("耳机那单", "保温杯那个到哪了").

A customer the shop's site has identified (the channel's sender is a shop account) is not asked for
an order number when their words pick exactly one of their orders: an order matches when the
message shares a run of at least MIN_SHARED Chinese characters with one of its items' names
(耳机 in 蓝牙耳机). Anonymous customers, several matches or none leave the question to the form.
"""
from __future__ import annotations

from typing import List, Optional

from actions.shop.repository import Order
from actions.store import shop_repository

MIN_SHARED = 2
MAX_LISTED = 3


def _shares_a_word(text: str, name: str) -> bool:
    return any(name[i:i + MIN_SHARED] in text for i in range(len(name) - MIN_SHARED + 1)
               if all("\u4e00" <= ch <= "\u9fff" for ch in name[i:i + MIN_SHARED]))


def own_order_in(sender_id: str, text: str) -> Optional[str]:
    """The order number of the one own order the message names by its items, else None."""
    repository = shop_repository()
    customer = repository.customer_by_sender(sender_id)
    if customer is None or not text:
        return None
    matches = [order.order_number for order in repository.orders_of(customer.id)
               if any(_shares_a_word(text, item.name) for item in repository.order_items(order.order_number))]
    return matches[0] if len(matches) == 1 else None


def recent_orders_line(sender_id: str) -> Optional[str]:
    """"您最近的订单：HW…（蓝牙耳机，已发货）…" for an identified customer with orders, else None."""
    repository = shop_repository()
    customer = repository.customer_by_sender(sender_id)
    orders: List[Order] = repository.orders_of(customer.id)[:MAX_LISTED] if customer else []
    if not orders:
        return None
    parts = [f"{order.order_number}（{'、'.join(item.name for item in repository.order_items(order.order_number))}，"
             f"{order.status}）" for order in orders]
    return "您最近的订单：" + "；".join(parts) + "。"
