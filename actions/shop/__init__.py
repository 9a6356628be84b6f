"""The demo shop's backing store: schema, deterministic seed data and a small repository."""
from actions.shop.repository import ShopRepository

__all__ = ["ShopRepository"]
