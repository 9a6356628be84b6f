"""Answer product questions (material, size, stock, gift, spec) from the shop catalogue."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.shop.repository import ProductInfo
from actions.store import shop_repository

TOPIC_WORDS = (
    ("material", ("材质", "面料", "什么做的", "成分", "什么钢", "纯棉", "含绒")),
    ("size", ("码", "尺寸", "多大", "身高", "体重", "偏大", "偏小")),
    ("stock", ("有货", "库存", "现货", "补货", "没货", "还有吗", "有吗")),
    ("gift", ("赠品", "送什么", "送吗", "赠送", "有送")),
)


def question_topic(text: str) -> Optional[str]:
    for topic, words in TOPIC_WORDS:
        if any(word in text for word in words):
            return topic
    return None


def answer_for(product: ProductInfo, topic: Optional[str]) -> str:
    if topic == "material":
        return f"{product.name}的材质是：{product.material}。"
    if topic == "size":
        if not product.sizes:
            return f"{product.name}没有尺码之分，规格是：{product.spec}。"
        return f"{product.name}有这些尺码：{product.sizes.replace(',', '、')}。详情页有尺码表，拿不准可以把身高体重告诉人工客服帮您参考。"
    if topic == "stock":
        if product.stock > 0:
            return f"{product.name}目前有现货，16:00前付款当天发货。"
        return f"{product.name}暂时缺货。您可以在商品页点“到货提醒”，补货后第一时间通知您。"
    if topic == "gift":
        return f"购买{product.name}赠送：{product.gift}。" if product.gift else f"{product.name}目前没有赠品。"
    stock = "有现货" if product.stock > 0 else "暂时缺货"
    return f"{product.name}：{product.spec}，材质{product.material}，售价{product.price:.0f}元，{stock}。"


class ActionProductInfo(Action):
    def name(self) -> Text:
        return "action_product_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        name = next(tracker.get_latest_entity_values("product"), None) or tracker.get_slot("product")
        product = shop_repository().product(name) if name else None
        if product is None:
            dispatcher.utter_message(text="请问您问的是哪款商品？告诉我商品名称就可以，例如“羽绒服”或“蓝牙耳机”。")
            return []
        text = tracker.latest_message.get("text") or ""
        dispatcher.utter_message(text=answer_for(product, question_topic(text)))
        return []
