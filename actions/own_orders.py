"""Which of an identified customer's own orders a message means ("耳机那单", "保温杯那个到哪了").

A customer the shop's site has identified (the channel's sender is a shop account) is not asked for
an order number when their words pick exactly one of their orders: an order matches when the
message shares a run of at least MIN_SHARED Chinese characters with one of its items' names
(耳机 in 蓝牙耳机). When several orders hold the item, what the customer asks about picks among them
by status, as an agent would: "发了没" means one not yet delivered, "想退" one delivered, "退款" one
being refunded (STATUS_AFFINITY). Still several, or none: the form asks, listing the matching orders
first. Anonymous customers are always asked.
"""
from __future__ import annotations

import re
from typing import List, Optional

from actions.shop.repository import Order
from actions.store import shop_repository

MIN_SHARED = 2
MAX_LISTED = 3
# what a message asks about -> the order statuses it can be about (first matching pattern wins)
STATUS_AFFINITY = (
    (re.compile(r"退款|到账|退钱|钱.{0,3}(退|回)"), ("退款中", "已退款", "已取消")),
    (re.compile(r"取消|不要了|付款|支付"), ("待付款", "待发货")),
    (re.compile(r"发货|发了|发出|到哪|物流|快递|(什么|啥)时候(到|能到|送到)|多久(到|能到)|还没到|没收到|派送|改地址|修改地址"),
     ("待付款", "待发货", "已发货", "派送中")),
    (re.compile(r"退|换|质量|坏了|破|开胶|保修|发票|评价"), ("已签收",)),
)


UNDER_WAY = ("退款中",)
# an order pointed at by its state rather than its items
_STATE_REFERENCE = re.compile(r"(退款|退货|没付款|未付款|没付钱|待付款|没发货|还没发|已发货|在派送)的?(那个|那单|那笔|的单|那件|那一单)")


def _is_word(run: str) -> bool:
    """Chinese characters, or a Chinese character with a Latin letter ("T恤" of 纯棉T恤)."""
    chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in run)
    return chinese == len(run) or (chinese > 0 and all("\u4e00" <= ch <= "\u9fff" or ch.isascii() and ch.isalpha()
                                                        for ch in run))


def _shares_a_word(text: str, name: str) -> bool:
    """A run of MIN_SHARED Chinese characters of the item's name, or its head noun said the everyday
    way ("鞋子" for 运动鞋, "裤子" for 牛仔裤, "杯子" for 保温杯)."""
    name, text = name.lower(), text.lower()
    if any(name[i:i + MIN_SHARED] in text for i in range(len(name) - MIN_SHARED + 1)
           if _is_word(name[i:i + MIN_SHARED])):
        return True
    head = name[-1:]
    return "\u4e00" <= head <= "\u9fff" and head != "子" and f"{head}子" in text


def _naming(orders: List[Order], text: str) -> List[Order]:
    """Those of `orders` whose items the message names, in the same order."""
    repository = shop_repository()
    return [order for order in orders
            if any(_shares_a_word(text, item.name) for item in repository.order_items(order.order_number))]


def matching_orders(sender_id: str, text: str) -> List[Order]:
    """The identified customer's orders whose items the message names, newest first."""
    repository = shop_repository()
    customer = repository.customer_by_sender(sender_id)
    if customer is None or not text:
        return []
    return _naming(repository.orders_of(customer.id), text)


def by_status_affinity(orders: List[Order], text: str) -> List[Order]:
    """The orders whose status fits what the message asks about; all of them when nothing fits. A
    refund question means the refund under way (退款中) when exactly one order has it."""
    for pattern, statuses in STATUS_AFFINITY:
        if pattern.search(text):
            fitting = [order for order in orders if order.status in statuses]
            under_way = [order for order in fitting if order.status in UNDER_WAY]
            return under_way if len(under_way) == 1 else (fitting or orders)
    return orders


def own_order_in(sender_id: str, text: str) -> Optional[str]:
    """The order number of the one own order the message names by its items, or by its state
    ("还有退款那个呢", "没付款的那单"), else None."""
    matches = matching_orders(sender_id, text)
    if not matches and _STATE_REFERENCE.search(text):
        repository = shop_repository()
        customer = repository.customer_by_sender(sender_id)
        matches = by_status_affinity(repository.orders_of(customer.id), text) if customer else []
    if len(matches) > 1:
        matches = by_status_affinity(matches, text)
    return matches[0].order_number if len(matches) == 1 else None


def recent_orders_line(sender_id: str, text: str = "") -> Optional[str]:
    """"您最近的订单：HW…（蓝牙耳机，已发货）…" for an identified customer with orders, else None; the
    orders that hold an item `text` names come first ("您有2个订单含这件商品：…")."""
    repository = shop_repository()
    customer = repository.customer_by_sender(sender_id)
    orders: List[Order] = repository.orders_of(customer.id) if customer else []
    if not orders:
        return None
    matched = by_status_affinity(_naming(orders, text), text) if text else []
    shown = matched[:MAX_LISTED] if matched else orders[:MAX_LISTED]
    parts = [f"{order.order_number}（{'、'.join(item.name for item in repository.order_items(order.order_number))}，"
             f"{order.status}）" for order in shown]
    opening = f"您有{len(matched)}个订单含这件商品：" if len(matched) > 1 else "您最近的订单："
    return opening + "；".join(parts) + "。"
