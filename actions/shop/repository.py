"""Read and write access to the shop database for the actions. The only module that speaks SQL."""
import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import List, Optional

from actions.shop.schema import create_schema
from actions.shop.seed import seed_shop

DEFAULT_DB_PATH = "var/shop.db"


@dataclass(frozen=True)
class Customer:
    id: int
    sender_id: Optional[str]
    name: str
    phone: str
    tier: str

    @property
    def is_vip(self) -> bool:
        return self.tier in ("金卡", "钻石")


@dataclass(frozen=True)
class Order:
    order_number: str
    customer_id: int
    status: str
    created_at: str
    delivered_at: Optional[str]
    total: float
    address: str
    carrier: Optional[str]
    tracking_number: Optional[str]


@dataclass(frozen=True)
class LogisticsEvent:
    happened_at: str
    location: str
    description: str


@dataclass(frozen=True)
class Refund:
    amount: float
    status: str
    requested_at: str
    payment_method: str


@dataclass(frozen=True)
class OrderItem:
    sku: str
    name: str
    category: str
    no_reason_return: bool


@dataclass(frozen=True)
class ProductInfo:
    name: str
    price: float
    stock: int
    material: str
    spec: str
    sizes: str
    gift: str
    category: str = ""
    no_reason_return: bool = True


def default_db_path() -> Path:
    return Path(os.environ.get("KEFU_SHOP_DB", DEFAULT_DB_PATH))


class ShopRepository:
    """Queries the demo shop; creates and seeds the SQLite file on first use."""

    def __init__(self, db_path: Optional[Path] = None, reference_date: Optional[date] = None):
        self.db_path = Path(db_path) if db_path else default_db_path()
        is_new = not self.db_path.exists()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(self.db_path, check_same_thread=False)
        create_schema(self._connection)  # idempotent: tables added since the file was made appear
        if is_new:
            seed_shop(self._connection, reference_date or date.today())

    def close(self) -> None:
        self._connection.close()

    def customer_by_sender(self, sender_id: str) -> Optional[Customer]:
        row = self._connection.execute(
            "SELECT id, sender_id, name, phone, tier FROM customers WHERE sender_id = ?",
            (sender_id,)).fetchone()
        return Customer(*row) if row else None

    def customer_by_id(self, customer_id: int) -> Optional[Customer]:
        row = self._connection.execute(
            "SELECT id, sender_id, name, phone, tier FROM customers WHERE id = ?",
            (customer_id,)).fetchone()
        return Customer(*row) if row else None

    def order(self, order_number: str) -> Optional[Order]:
        row = self._connection.execute(
            "SELECT order_number, customer_id, status, created_at, delivered_at, total, address, "
            "carrier, tracking_number FROM orders WHERE order_number = ?",
            (order_number,)).fetchone()
        return Order(*row) if row else None

    def orders_of(self, customer_id: int) -> List[Order]:
        """A customer's orders, newest first."""
        rows = self._connection.execute(
            "SELECT order_number, customer_id, status, created_at, delivered_at, total, address, "
            "carrier, tracking_number FROM orders WHERE customer_id = ? ORDER BY created_at DESC, order_number DESC",
            (customer_id,)).fetchall()
        return [Order(*row) for row in rows]

    def order_items(self, order_number: str) -> List[OrderItem]:
        rows = self._connection.execute(
            "SELECT p.sku, p.name, p.category, p.no_reason_return FROM order_items i "
            "JOIN products p ON p.sku = i.sku WHERE i.order_number = ? ORDER BY p.sku",
            (order_number,)).fetchall()
        return [OrderItem(sku, name, category, bool(flag)) for sku, name, category, flag in rows]

    def logistics_events(self, order_number: str) -> List[LogisticsEvent]:
        """Events newest first."""
        rows = self._connection.execute(
            "SELECT happened_at, location, description FROM logistics_events "
            "WHERE order_number = ? ORDER BY happened_at DESC", (order_number,)).fetchall()
        return [LogisticsEvent(*row) for row in rows]

    def refund(self, order_number: str) -> Optional[Refund]:
        row = self._connection.execute(
            "SELECT amount, status, requested_at, payment_method FROM refunds "
            "WHERE order_number = ?", (order_number,)).fetchone()
        return Refund(*row) if row else None

    _PRODUCT_COLUMNS = "name, price, stock, material, spec, sizes, gift, category, no_reason_return"

    def product(self, name: str) -> Optional[ProductInfo]:
        """Exact name first, then the first product whose name contains or is contained in it."""
        row = self._connection.execute(
            f"SELECT {self._PRODUCT_COLUMNS} FROM products WHERE name = ?", (name,)).fetchone()
        if row is None:
            row = self._connection.execute(
                f"SELECT {self._PRODUCT_COLUMNS} FROM products WHERE instr(name, ?) > 0 OR instr(?, name) > 0 "
                "ORDER BY sku LIMIT 1", (name, name)).fetchone()
        return self._product(row) if row else None

    def products(self) -> List[ProductInfo]:
        """The whole catalogue, by SKU (a demo shop's catalogue is small)."""
        rows = self._connection.execute(f"SELECT {self._PRODUCT_COLUMNS} FROM products ORDER BY sku").fetchall()
        return [self._product(row) for row in rows]

    @staticmethod
    def _product(row: tuple) -> ProductInfo:
        *fields, no_reason_return = row
        return ProductInfo(*fields, no_reason_return=bool(no_reason_return))

    def change_address(self, order_number: str, new_address: str) -> None:
        order = self.order(order_number)
        if order is None:
            raise KeyError(order_number)
        with self._connection:
            self._connection.execute(
                "INSERT INTO address_changes (order_number, old_address, new_address, created_at) "
                "VALUES (?, ?, ?, ?)", (order_number, order.address, new_address, _now()))
            self._connection.execute("UPDATE orders SET address = ? WHERE order_number = ?",
                                     (new_address, order_number))

    def create_cancel_request(self, order_number: str, status_then: str) -> int:
        """A cancellation request for the warehouse to carry out (the caller checked that the order
        may be cancelled: actions.policy.cancel_blocker); the order keeps its status until then."""
        with self._connection:
            cursor = self._connection.execute(
                "INSERT INTO cancel_requests (order_number, status_then, created_at) VALUES (?, ?, ?)",
                (order_number, status_then, _now()))
        return int(cursor.lastrowid)

    def create_price_protection_request(self, order_number: str) -> int:
        """A 价保 request: the service team checks the price drop and refunds the difference."""
        with self._connection:
            cursor = self._connection.execute(
                "INSERT INTO price_protection_requests (order_number, created_at) VALUES (?, ?)",
                (order_number, _now()))
        return int(cursor.lastrowid)

    def create_invoice_request(self, order_number: str, title: str, tax_id: str) -> int:
        """An e-invoice request; `tax_id` is '' for a personal invoice."""
        with self._connection:
            cursor = self._connection.execute(
                "INSERT INTO invoice_requests (order_number, title, tax_id, created_at) VALUES (?, ?, ?, ?)",
                (order_number, title, tax_id, _now()))
        return int(cursor.lastrowid)

    def create_return_request(self, order_number: str, reason: str, item_condition: str,
                              shipping_paid_by: str) -> int:
        with self._connection:
            cursor = self._connection.execute(
                "INSERT INTO return_requests (order_number, reason, item_condition, "
                "shipping_paid_by, created_at) VALUES (?, ?, ?, ?, ?)",
                (order_number, reason, item_condition, shipping_paid_by, _now()))
        return int(cursor.lastrowid)

    def withdraw_request(self, reference: str, order_number: str) -> None:
        """The customer took back the request numbered `reference` (idempotent: a second time is a no-op)."""
        with self._connection:
            self._connection.execute(
                "INSERT OR IGNORE INTO request_withdrawals (reference, order_number, created_at) VALUES (?, ?, ?)",
                (reference, order_number, _now()))

    def withdrawn(self, reference: str) -> bool:
        row = self._connection.execute("SELECT 1 FROM request_withdrawals WHERE reference = ?", (reference,)).fetchone()
        return row is not None

    def record_complaint(self, sender_id: str, order_number: Optional[str], detail: str,
                         wanted_resolution: str, priority: str) -> int:
        with self._connection:
            cursor = self._connection.execute(
                "INSERT INTO complaints (sender_id, order_number, detail, wanted_resolution, "
                "priority, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (sender_id, order_number, detail, wanted_resolution, priority, _now()))
        return int(cursor.lastrowid)


def _now() -> str:
    return datetime.now().isoformat(sep=" ", timespec="seconds")
