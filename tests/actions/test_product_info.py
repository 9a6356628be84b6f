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


def test_every_attribute_asked_is_answered_with_the_catalogue_cited(shop, domain) -> None:
    tracker = make_tracker("羽绒服有货吗 多少钱", intent="product_question", entities=[{"entity": "product", "value": "羽绒服"}])
    messages, _ = run_action(ActionProductInfo(), tracker, domain)
    assert "现货" in messages[0]["text"] and "899" in messages[0]["text"]
    assert messages[1]["custom"]["citations"][0]["doc_id"] == "catalogue:羽绒服"


def test_a_product_is_found_by_the_end_of_its_name(shop) -> None:
    from actions.product_names import product_named_in
    from actions.store import shop_repository

    catalogue = shop_repository().products()
    assert product_named_in("手表现在卖多少钱", catalogue).name == "智能手表"
    assert product_named_in("空气炸锅呢", catalogue).name == "空气炸锅"
    assert product_named_in("明天下雨吗", catalogue) is None


def test_a_rule_question_about_a_product_is_asked_with_its_category(shop, domain, knowledge_index) -> None:
    from actions.knowledge_service import shared_service
    from tests.actions.conftest import user_turn

    shared_service().warm_up()
    history = [user_turn("电子产品保修多久", "ask_policy")]
    tracker = make_tracker("破壁机呢", intent="product_question", entities=[{"entity": "product", "value": "破壁机"}],
                           history=history)
    messages, _ = run_action(ActionProductInfo(), tracker, domain)
    assert "2年" in texts(messages), "a small appliance: the small-appliance warranty, not the product card"
    food = make_tracker("坚果礼盒可以七天无理由退吗", intent="product_question",
                        entities=[{"entity": "product", "value": "坚果礼盒"}])
    messages, _ = run_action(ActionProductInfo(), food, domain)
    assert "坚果礼盒属于食品类商品，不支持七天无理由退货" in texts(messages)


def test_a_defect_report_naming_a_product_starts_the_return_form(shop, domain) -> None:
    tracker = make_tracker("刚收到的运动鞋鞋底就开胶了", intent="product_question", sender_id="u10002",
                           entities=[{"entity": "product", "value": "运动鞋"}])
    messages, events = run_action(ActionProductInfo(), tracker, domain)
    assert "质量问题可以退换" in texts(messages)
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "return_form"}
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["order_number"] == "HW2026110003" and slots["return_reason"] == "刚收到的运动鞋鞋底就开胶了"
    quality_question = make_tracker("运动鞋质量怎么样", intent="product_question",
                                    entities=[{"entity": "product", "value": "运动鞋"}])
    messages, events = run_action(ActionProductInfo(), quality_question, domain)
    assert events == [] and "运动鞋" in texts(messages), "a question about quality is a product question"


def test_a_message_about_the_order_of_a_product_starts_the_order_lookup(shop, domain) -> None:
    tracker = make_tracker("手表那单咋还没发火？", intent="product_question", sender_id="u10001",
                           entities=[{"entity": "product", "value": "智能手表"}])
    messages, events = run_action(ActionProductInfo(), tracker, domain)
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "order_lookup_form"}
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}["request_kind"] == "task"
    for question in ("智能手表多少钱", "手表一般下单后多久到"):
        asked = make_tracker(question, intent="product_question", sender_id="u10001",
                             entities=[{"entity": "product", "value": "智能手表"}])
        _, events = run_action(ActionProductInfo(), asked, domain)
        assert not any(e.get("event") == "followup" for e in events), question


def test_a_fault_said_in_everyday_words_is_a_defect_report(shop, domain) -> None:
    tracker = make_tracker("上个月买的那个蓝牙耳机 左边耳朵没声音了", intent="product_question", sender_id="u10002")
    _, events = run_action(ActionProductInfo(), tracker, domain)
    assert events[-1]["name"] == "return_form", "the form checks the windows and offers the warranty"
