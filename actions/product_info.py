"""Answer product questions from the shop catalogue, and rule questions about a named product.

Two kinds of question name a product:
- about the product itself (material, size, stock, gift, price): the catalogue answers, every
  attribute the customer asked about ("羽绒服有货吗 多少钱" gets stock and price);
- about a rule, for this product ("空气炸锅保修几年", or "空气炸锅呢" right after a warranty answer):
  the knowledge base answers, asked with the product's category (小家电), because the rules are
  written per category, not per product. A return question about an item that is excluded from
  seven-day returns (food, underwear, gift cards) also says so for that item, from the catalogue.
A defect report that names a product ("运动鞋鞋底开胶了") is not a question about it: the return
form starts, with the report as the reason. Nor is a message about the order of a product
("手表那单咋还没发货"): the order lookup starts, with the customer's order of that item.
"""
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.knowledge_answer import answer_from_knowledge, recent_customer_messages
from actions.product_names import product_named_in
from actions.request_kind import GENERAL_MARKER
from actions.shop.repository import ProductInfo
from actions.store import shop_repository
from actions.triage import own_order_events
from rasa_plugins.text.normalize import normalize_text
from retrieval.rewrite import is_follow_up

TOPIC_WORDS = (
    ("material", ("材质", "面料", "什么做的", "成分", "什么钢", "纯棉", "含绒")),
    ("size", ("码", "尺寸", "多大", "身高", "体重", "偏大", "偏小")),
    ("stock", ("有货", "库存", "现货", "补货", "没货", "还有吗", "有吗", "缺货", "卖完")),
    ("gift", ("赠品", "送什么", "送吗", "赠送", "有送")),
    ("price", ("多少钱", "价格", "售价", "卖多少", "几块", "啥价", "什么价", "贵不贵", "多少一")),
)
# words of a shop rule rather than of a product's attributes
_RULE_WORDS = re.compile(r"退|换货|保修|质保|运费|邮费|包邮|发票|无理由|价保|差价|售后|维修|优惠|券|分期|发货|几天到")
_ASKING_WORDS = re.compile(r"多久|几年|多长时间|几天|多少钱|多少|能不能|可以吗|支持吗")
# a defect the customer reports on what they received: after-sales, not a product question
_DEFECT = re.compile(r"坏了|破了|碎了|开胶|开线|脱线|用不了|不能用|不工作|漏水|漏电|裂了|裂开|断了|瑕疵|划痕|发错|少件|"
                     r"掉色|起球|变形|有异味|不亮|充不进|打不开|不开机|没有?声音|没有?反应|失灵|不灵了|死机|黑屏|花屏|"
                     r"充不上|充不了|不制冷|不加热|不转了|异响|杂音|漏气|时好时坏|连不上")
_RETURN_WORDS = re.compile(r"退|无理由")
# the message is about an order of the product, not the product ("手表那单咋还没发火", typo included)
_ORDER_REFERENCE = re.compile(r"(这|那)个?单|订单|单子|到哪|还没(到|发|收到)|物流")
CATALOGUE_SOURCE = "shop catalogue"


def question_topics(text: str) -> List[str]:
    """Every product attribute the message asks about, in TOPIC_WORDS order."""
    return [topic for topic, words in TOPIC_WORDS if any(word in text for word in words)]


def _one_answer(product: ProductInfo, topic: str) -> str:
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
    return f"{product.name}售价{product.price:.0f}元。"


def answer_for(product: ProductInfo, topic: Optional[str] | List[str]) -> str:
    """The catalogue's answer to one topic, several, or (None / []) a short product card."""
    topics = [topic] if isinstance(topic, str) else list(topic or [])
    if topics:
        return "".join(_one_answer(product, name) for name in topics)
    stock = "有现货" if product.stock > 0 else "暂时缺货"
    return f"{product.name}：{product.spec}，材质{product.material}，售价{product.price:.0f}元，{stock}。"


def rule_query(product: ProductInfo, text: str, previous: Optional[str]) -> str:
    """A standalone query for a rule question about `product`: its category and name, the message,
    and for a follow-up the rule the earlier question asked about ("保修…多久" of "电子产品保修多久"),
    without what it was about: "破壁机呢" then asks for the small-appliance warranty."""
    context = ""
    if previous and is_follow_up(text):
        context = " ".join(dict.fromkeys(_RULE_WORDS.findall(previous) + _ASKING_WORDS.findall(previous)))
    return " ".join(part for part in (product.category, product.name, context, text) if part)


def utter_catalogue_answer(dispatcher: CollectingDispatcher, product: ProductInfo, text: str) -> None:
    """The answer and its source, like every knowledge answer: the catalogue's entry for the product."""
    dispatcher.utter_message(text=text)
    dispatcher.utter_message(json_message={"citations": [{
        "title": f"商品信息：{product.name}", "source": CATALOGUE_SOURCE, "link": None,
        "doc_id": f"catalogue:{product.name}"}]})


def catalogue_answer(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Answer from the catalogue when the message names a product and asks about its attributes
    ("对了 智能手表现在卖多少钱"); False, saying nothing, otherwise."""
    text = normalize_text(text)
    topics = question_topics(text)
    if not topics or _RULE_WORDS.search(text):
        return False
    product = product_named_in(text, shop_repository().products())
    if product is None:
        return False
    utter_catalogue_answer(dispatcher, product, answer_for(product, topics))
    return True


class ActionProductInfo(Action):
    def name(self) -> Text:
        return "action_product_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        text = normalize_text(tracker.latest_message.get("text") or "")
        repository = shop_repository()
        name = next(tracker.get_latest_entity_values("product"), None)
        product = (repository.product(name) if name else None) or product_named_in(text, repository.products())
        if product is None and tracker.get_slot("product"):
            product = repository.product(tracker.get_slot("product"))
        if product is None:
            dispatcher.utter_message(text="请问您问的是哪款商品？告诉我商品名称就可以，例如“羽绒服”或“蓝牙耳机”。")
            return []
        topics = question_topics(text)
        if not topics and not tracker.active_loop_name and _DEFECT.search(text) and not GENERAL_MARKER.search(text):
            dispatcher.utter_message(text=f"非常抱歉，{product.name}出了问题。质量问题可以退换，来回运费由我们承担，我来帮您办理。")
            return [SlotSet("request_kind", "task"), *own_order_events(tracker, text, False),
                    SlotSet("return_reason", text), FollowupAction("return_form")]
        if not topics and not tracker.active_loop_name and _ORDER_REFERENCE.search(text) \
                and not GENERAL_MARKER.search(text):
            return [SlotSet("request_kind", "task"), *own_order_events(tracker, text, False),
                    FollowupAction("order_lookup_form")]
        history = recent_customer_messages(tracker)
        previous = history[-1] if history else None
        if not topics and (_RULE_WORDS.search(text) or (previous and is_follow_up(text))):
            events = await answer_rule_for_product(dispatcher, tracker, product, text, previous)
            if events is not None:
                return events
        utter_catalogue_answer(dispatcher, product, answer_for(product, topics))
        return []


async def answer_rule_for_product(dispatcher: CollectingDispatcher, tracker: Tracker, product: ProductInfo,
                                  text: str, previous: Optional[str]) -> Optional[List[Dict[Text, Any]]]:
    """The knowledge base's answer to a rule question about `product`, or None when it has none."""
    query = rule_query(product, text, previous)
    about_returns = bool(_RETURN_WORDS.search(query))
    if about_returns and not product.no_reason_return:
        dispatcher.utter_message(text=f"{product.name}属于{product.category}类商品，不支持七天无理由退货；"
                                      "有质量问题的仍可以申请售后。")
    answered, trace = await answer_from_knowledge(dispatcher, tracker, question=query, history=[])
    if not answered and not (about_returns and not product.no_reason_return):
        return None
    return [SlotSet("knowledge_trace", {**trace, "product": product.name})]
