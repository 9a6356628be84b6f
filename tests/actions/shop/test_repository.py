import sqlite3
from datetime import date
from pathlib import Path

from actions.shop.repository import ShopRepository

REFERENCE = date(2026, 11, 23)


def dump(path: Path) -> list:
    with sqlite3.connect(path) as connection:
        return [connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("customers", "products", "orders", "logistics_events", "refunds")]


def test_database_is_created_and_seeded_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "shop.db"
    repository = ShopRepository(path, reference_date=REFERENCE)
    assert path.exists()
    assert repository.customer_by_sender("u10001").tier == "钻石"
    assert repository.order("HW2026110002").status == "待发货"
    assert repository.order("HW2026110200") is not None
    assert repository.order("HW2026110201") is None


def test_seed_data_is_deterministic(tmp_path: Path) -> None:
    ShopRepository(tmp_path / "a.db", reference_date=REFERENCE).close()
    ShopRepository(tmp_path / "b.db", reference_date=REFERENCE).close()
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")


def test_existing_database_is_reused_not_reseeded(tmp_path: Path) -> None:
    first = ShopRepository(tmp_path / "shop.db", reference_date=REFERENCE)
    first.change_address("HW2026110002", "北京市海淀区中关村大街1号")
    first.close()
    again = ShopRepository(tmp_path / "shop.db", reference_date=REFERENCE)
    assert again.order("HW2026110002").address == "北京市海淀区中关村大街1号"


def test_vip_tiers_and_carriers_follow_the_shop_facts(tmp_path: Path) -> None:
    repository = ShopRepository(tmp_path / "shop.db", reference_date=REFERENCE)
    assert repository.customer_by_sender("u10001").is_vip
    assert not repository.customer_by_sender("u10002").is_vip
    assert repository.order("HW2026110001").carrier == "顺丰速运"  # 钻石 members ship with SF
    assert repository.order("HW2026110006").carrier == "顺丰速运"  # 金卡 too


def test_logistics_events_are_newest_first(tmp_path: Path) -> None:
    repository = ShopRepository(tmp_path / "shop.db", reference_date=REFERENCE)
    events = repository.logistics_events("HW2026110003")
    assert [event.happened_at for event in events] == sorted(
        (event.happened_at for event in events), reverse=True)
    assert "签收" in events[0].description


def test_product_lookup_accepts_partial_names(tmp_path: Path) -> None:
    repository = ShopRepository(tmp_path / "shop.db", reference_date=REFERENCE)
    assert repository.product("耳机").name == "蓝牙耳机"
    assert repository.product("羊毛衫").material.startswith("80%绵羊毛")
    assert repository.product("自行车") is None


def test_after_sales_records_are_stored(tmp_path: Path) -> None:
    repository = ShopRepository(tmp_path / "shop.db", reference_date=REFERENCE)
    first = repository.create_return_request("HW2026110003", "尺码不合适", "未拆封", "客户")
    second = repository.create_return_request("HW2026110003", "质量问题", "已使用", "商家")
    assert second == first + 1
    assert repository.record_complaint("u10001", None, "客服态度差", "道歉", "high") == 1
