"""The customer beside the conversation: a verified account's tier, orders, tickets, earlier
conversations and ratings, tags agents keep; another account sees only its own; a guest, nothing
but this conversation's tickets. The real gateway app with a real shop database (SQLite)."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from actions.shop.repository import ShopRepository
from bot.config import KefuConfig
from bot.gateway.identity import sign_identity
from tests.bot.gateway.conftest import put_agent_on_duty
from tests.bot.gateway.test_router import chat


@pytest.fixture()
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ShopRepository:
    path = tmp_path / "shop.db"
    monkeypatch.setenv("KEFU_SHOP_DB", str(path))
    return ShopRepository(path)


def order_numbers(shop: ShopRepository, account: str) -> set[str]:
    customer = shop.customer_by_sender(account)
    assert customer is not None
    return {order.order_number for order in shop.orders_of(customer.id)}


def test_a_verified_customer_is_shown_with_orders_tickets_and_history_and_no_one_elses(
        client: TestClient, gateway_config: KefuConfig, shop: ShopRepository) -> None:
    store = client.app.state.services.store
    agent = put_agent_on_duty(client)  # someone is in: the handoffs below open no tickets
    earlier = chat(client, "web", "请记录我的问题", identity=sign_identity(gateway_config, "u10003"))
    store.set_mode(earlier["conversation"], "closed")
    store.add_rating(earlier["conversation"], 4, handoff_id=None, agent_id=None)
    mine = chat(client, "web", "我要转人工", identity=sign_identity(gateway_config, "u10003"))
    theirs = chat(client, "web-b", "我要转人工", identity=sign_identity(gateway_config, "u10002"))

    profile = client.get(f"/api/console/conversations/{mine['conversation']}/customer", headers=agent).json()
    assert profile["verified"] and profile["account"] == "u10003"
    phone = shop.customer_by_sender("u10003").phone
    assert profile["shop"]["tier"] == "金卡" and profile["shop"]["phone"] == phone[:3] + "****" + phone[-4:], \
        "phones stay masked"
    assert {o["number"] for o in profile["shop"]["orders"]} <= order_numbers(shop, "u10003")
    assert [t["reference"] for t in profile["tickets"]] == ["C000042"]
    assert [(c["conversation"], c["rating"]) for c in profile["earlier"]] == [(earlier["conversation"], 4)]

    other = client.get(f"/api/console/conversations/{theirs['conversation']}/customer", headers=agent).json()
    assert other["account"] == "u10002" and other["tickets"] == [] and other["earlier"] == []
    assert {o["number"] for o in other["shop"]["orders"]}.isdisjoint(order_numbers(shop, "u10003"))

    saved = client.post(f"/api/console/conversations/{mine['conversation']}/customer/tags", headers=agent,
                        json={"tags": ["VIP跟进", " 易怒 ", "VIP跟进"]})
    assert saved.json() == {"tags": ["VIP跟进", "易怒"]}
    assert client.get(f"/api/console/conversations/{mine['conversation']}/customer", headers=agent).json()["tags"] \
        == ["VIP跟进", "易怒"]


def test_a_guest_who_names_an_account_is_shown_nothing_of_it(client: TestClient, shop: ShopRepository) -> None:
    agent = put_agent_on_duty(client)
    guest = chat(client, "u10003", "我要转人工")  # a client-chosen sender proves nothing
    profile = client.get(f"/api/console/conversations/{guest['conversation']}/customer", headers=agent).json()
    assert profile == {"verified": False, "account": None, "shop": None, "tags": [], "note": "",
                       "tickets": [], "earlier": []}
    refused = client.post(f"/api/console/conversations/{guest['conversation']}/customer/tags", headers=agent,
                          json={"tags": ["x"]})
    assert refused.status_code == 409
