from actions.product_info import ActionProductInfo
from tests.actions.conftest import make_tracker, run_action, texts


def ask(domain, text: str, product=None) -> str:
    entities = [{"entity": "product", "value": product}] if product else []
    tracker = make_tracker(text, intent="product_question", entities=entities)
    messages, _ = run_action(ActionProductInfo(), tracker, domain)
    return texts(messages)


def test_material_stock_size_and_gift_come_from_the_catalogue(shop, domain) -> None:
    assert "80%绵羊毛" in ask(domain, "羊毛衫是什么材质", "羊毛衫")
    assert "暂时缺货" in ask(domain, "牛仔裤有货吗", "牛仔裤")
    assert "S、M、L、XL" in ask(domain, "羊毛衫有什么尺码", "羊毛衫")
    assert "收纳袋" in ask(domain, "买羽绒服送什么", "羽绒服")


def test_a_synonym_value_is_resolved(shop, domain) -> None:
    assert "主动降噪" in ask(domain, "耳机怎么样", "蓝牙耳机")


def test_without_a_known_product_the_bot_asks_which_one(shop, domain) -> None:
    assert "哪款商品" in ask(domain, "这个有货吗")
    assert "哪款商品" in ask(domain, "自行车有货吗", "自行车")
