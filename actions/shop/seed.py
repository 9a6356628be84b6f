"""Deterministic fictional seed data: the same seed and reference date always give the same shop.

Dates are relative to `reference_date` (the day the database is created) so that return windows
and "in transit" states stay meaningful whenever the demo runs. The first orders are fixed demo
cases that stories, docs and tests rely on; the rest are generated from a seeded RNG.
"""
import random
import sqlite3
from datetime import date, datetime, time, timedelta
from typing import List, Optional, Tuple

from actions.shop.catalog import PRODUCTS

SEED = 20261120
CARRIERS = ("中通快递", "顺丰速运", "京东物流")
CITIES = (("上海", "上海市浦东新区张江路88号"), ("北京", "北京市朝阳区建国路66号"),
          ("广州", "广东省广州市天河区体育西路12号"), ("成都", "四川省成都市武侯区天府大道100号"),
          ("杭州", "浙江省杭州市西湖区文三路200号"), ("乌鲁木齐", "新疆乌鲁木齐市天山区解放北路5号"))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
TIERS = ("普通会员", "普通会员", "银卡", "银卡", "金卡", "钻石")

# (sender_id, name, phone, tier, city index)
DEMO_CUSTOMERS = (
    ("u10001", "王女士", "13800005678", "钻石", 0),
    ("u10002", "李先生", "13900001234", "普通会员", 1),
    ("u10003", "张女士", "13700004321", "金卡", 2),
)
# (order number, customer index, status, days before reference, delivered days before, sku list)
DEMO_ORDERS = (
    ("HW2026110001", 0, "已发货", 2, None, ["SP001"]),
    ("HW2026110002", 1, "待发货", 0, None, ["SP007", "SP008"]),
    ("HW2026110003", 1, "已签收", 6, 3, ["SP005"]),
    ("HW2026110004", 2, "退款中", 9, 6, ["SP010"]),
    ("HW2026110005", 1, "已签收", 30, 26, ["SP004"]),
    ("HW2026110006", 2, "派送中", 3, None, ["SP013", "SP015"]),
    ("HW2026110007", 1, "已签收", 5, 2, ["SP006"]),
    ("HW2026110008", 0, "待付款", 0, None, ["SP009"]),
)
GENERATED_CUSTOMERS = 37
GENERATED_ORDERS = 192


def _at(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour, 0)).isoformat(sep=" ")


def _carrier_for(tier: str, skus: List[str]) -> str:
    if any(sku in ("SP012", "SP014") for sku in skus):
        return CARRIERS[2]
    return CARRIERS[1] if tier in ("金卡", "钻石") else CARRIERS[0]


def _logistics_events(order_number: str, created: date, delivered: Optional[date], status: str,
                      address: str, carrier: str) -> List[Tuple[str, str, str, str]]:
    city = address[:address.index("市") + 1] if "市" in address else address[:3]
    events = [(order_number, _at(created, 18), "好物优选杭州仓", f"{carrier}已揽收")]
    events.append((order_number, _at(created + timedelta(days=1), 6), "杭州转运中心", "已发出，运往下一站"))
    if status in ("派送中", "已签收", "退款中", "已退款"):
        arrival = delivered or created + timedelta(days=2)
        events.append((order_number, _at(arrival, 8), city, "快件已到达派送网点，快递员正在派送"))
    if delivered:
        events.append((order_number, _at(delivered, 15), city, "已签收，签收人：本人"))
    return events


def _insert_order(connection: sqlite3.Connection, reference: date, order_number: str,
                  customer: Tuple[int, str, str], status: str, age_days: int,
                  delivered_days: Optional[int], skus: List[str]) -> None:
    customer_id, tier, address = customer
    created = reference - timedelta(days=age_days)
    delivered = reference - timedelta(days=delivered_days) if delivered_days is not None else None
    prices = {product.sku: product.price for product in PRODUCTS}
    total = sum(prices[sku] for sku in skus)
    shipped = status not in ("待付款", "待发货", "已取消")
    carrier = _carrier_for(tier, skus) if shipped else None
    tracking = f"{'SF' if carrier == CARRIERS[1] else 'JD' if carrier == CARRIERS[2] else 'ZT'}" \
               f"{order_number[2:]}8" if shipped else None
    connection.execute(
        "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (order_number, customer_id, status, _at(created, 10),
         _at(delivered, 15) if delivered else None, total, address, carrier, tracking))
    connection.executemany("INSERT INTO order_items VALUES (?, ?, 1)",
                           [(order_number, sku) for sku in skus])
    if shipped:
        connection.executemany("INSERT INTO logistics_events VALUES (?, ?, ?, ?)",
                               _logistics_events(order_number, created, delivered, status, address,
                                                 carrier))
    if status in ("退款中", "已退款"):
        refund_status = "退款中" if status == "退款中" else "已到账"
        connection.execute("INSERT INTO refunds VALUES (?, ?, ?, ?, ?)",
                           (order_number, total, refund_status,
                            _at(reference - timedelta(days=1), 11), "支付宝"))


def seed_shop(connection: sqlite3.Connection, reference_date: date, seed: int = SEED) -> None:
    """Fill an empty shop database with the demo customers, products and orders."""
    rng = random.Random(seed)
    connection.executemany(
        "INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(p.sku, p.name, p.category, p.price, p.stock, p.material, p.spec, p.sizes, p.gift,
          int(p.no_reason_return)) for p in PRODUCTS])
    customers: List[Tuple[int, str, str]] = []
    for sender_id, name, phone, tier, city_index in DEMO_CUSTOMERS:
        customers.append(_insert_customer(connection, sender_id, name, phone, tier, city_index))
    for number in range(GENERATED_CUSTOMERS):
        name = rng.choice(SURNAMES) + rng.choice(("先生", "女士"))
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        customers.append(_insert_customer(connection, f"u{10004 + number}", name, phone,
                                          rng.choice(TIERS), rng.randrange(len(CITIES))))
    for order_number, customer_index, status, age, delivered, skus in DEMO_ORDERS:
        _insert_order(connection, reference_date, order_number, customers[customer_index], status,
                      age, delivered, skus)
    statuses = ("待付款", "待发货", "已发货", "派送中", "已签收", "已签收", "已签收", "已取消",
                "退款中", "已退款")
    for number in range(GENERATED_ORDERS):
        status = rng.choice(statuses)
        age = rng.randrange(0, 40)
        delivered = None
        if status in ("已签收", "退款中", "已退款"):
            age = max(age, 3)
            delivered = age - rng.randint(1, 3)
        skus = rng.sample([p.sku for p in PRODUCTS], rng.randint(1, 3))
        _insert_order(connection, reference_date, f"HW20261{number + 10009:05d}",
                      rng.choice(customers), status, age, delivered, skus)
    connection.commit()


def _insert_customer(connection: sqlite3.Connection, sender_id: str, name: str, phone: str,
                     tier: str, city_index: int) -> Tuple[int, str, str]:
    city, address = CITIES[city_index]
    cursor = connection.execute(
        "INSERT INTO customers (sender_id, name, phone, tier, city) VALUES (?, ?, ?, ?, ?)",
        (sender_id, name, phone, tier, city))
    return int(cursor.lastrowid), tier, address
