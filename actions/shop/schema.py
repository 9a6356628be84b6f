"""SQLite schema of the demo shop (好物优选): customers, products, orders and after-sales records."""
import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY,
    sender_id TEXT UNIQUE,          -- the channel's user id when the customer is logged in
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier IN ('普通会员', '银卡', '金卡', '钻石')),
    city TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS products (
    sku TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    price REAL NOT NULL,
    stock INTEGER NOT NULL,
    material TEXT NOT NULL,
    spec TEXT NOT NULL,
    sizes TEXT NOT NULL,            -- comma separated, '' when not applicable
    gift TEXT NOT NULL,             -- '' when no gift
    no_reason_return INTEGER NOT NULL  -- 0 for underwear, food, customised items, gift cards
);
CREATE TABLE IF NOT EXISTS orders (
    order_number TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    status TEXT NOT NULL CHECK (status IN
        ('待付款', '待发货', '已发货', '派送中', '已签收', '已取消', '退款中', '已退款')),
    created_at TEXT NOT NULL,
    delivered_at TEXT,
    total REAL NOT NULL,
    address TEXT NOT NULL,
    carrier TEXT,
    tracking_number TEXT
);
CREATE TABLE IF NOT EXISTS order_items (
    order_number TEXT NOT NULL REFERENCES orders(order_number),
    sku TEXT NOT NULL REFERENCES products(sku),
    quantity INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS logistics_events (
    order_number TEXT NOT NULL REFERENCES orders(order_number),
    happened_at TEXT NOT NULL,
    location TEXT NOT NULL,
    description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS refunds (
    order_number TEXT PRIMARY KEY REFERENCES orders(order_number),
    amount REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('审核中', '退款中', '已到账')),
    requested_at TEXT NOT NULL,
    payment_method TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS return_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_number TEXT NOT NULL REFERENCES orders(order_number),
    reason TEXT NOT NULL,
    item_condition TEXT NOT NULL,
    shipping_paid_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS complaints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id TEXT NOT NULL,
    order_number TEXT,
    detail TEXT NOT NULL,
    wanted_resolution TEXT NOT NULL,
    priority TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cancel_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_number TEXT NOT NULL REFERENCES orders(order_number),
    status_then TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS price_protection_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_number TEXT NOT NULL REFERENCES orders(order_number),
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS invoice_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_number TEXT NOT NULL REFERENCES orders(order_number),
    title TEXT NOT NULL,
    tax_id TEXT NOT NULL,           -- '' for a personal invoice
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS request_withdrawals (
    reference TEXT PRIMARY KEY,     -- the request's number as the customer was told it: C12, R000003, I4, P5
    order_number TEXT NOT NULL REFERENCES orders(order_number),
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS address_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_number TEXT NOT NULL REFERENCES orders(order_number),
    old_address TEXT NOT NULL,
    new_address TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""


def create_schema(connection: sqlite3.Connection) -> None:
    """Create every table if it does not exist yet."""
    connection.executescript(SCHEMA)
