"""A question about the customer's own order that reached the knowledge base gets the order's task too.

The classifier gives a rule-shaped question to `ask_policy` (or, unsure, to `nlu_fallback`), which
the knowledge base answers. When the customer asks it about a purchase of their own ("那件纯棉T恤
买了快一个月了 还能无理由退吗" from a customer who bought that T-shirt; "我的退货什么时候可以处理"),
the rule alone leaves them to apply it: an agent states the rule and then looks at the order. So
the knowledge answer (when there is one) is followed by the order form of the message's topic; when
the knowledge base has nothing, the form is the better help than "I cannot answer". A question
for a figure of the rule ("多少天内可以换", "运费谁出") is answered alone: the figure is the same for
every order, and the customer who wants more says so.

The topic is the classifier's own second opinion: the best-ranked order-task intent among its top
RANKED_CANDIDATES, else the order lookup. A price drop is price protection whatever it ranked.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.request_kind import request_kind
from actions.returns import return_details_in
from actions.topic_answer import PRICE_PROTECTION
from actions.triage import CONFIRMED_INTENTS, names_own_purchase, own_order_events, picked_order

# the order form each task intent starts (stories/forms.yml, actions/topic_answer.py)
TASK_FORMS = {
    "order_status": "order_lookup_form", "track_logistics": "order_lookup_form", "refund_status": "order_lookup_form",
    "logistics_delay": "order_lookup_form", "logistics_lost": "order_lookup_form", "logistics_damaged": "return_form",
    "return_exchange": "return_form", "change_address": "address_change_form", "cancel_order": "cancel_form",
    "invoice": "invoice_form",
}
RANKED_CANDIDATES = 4  # nlu_fallback, when present, takes one of these places
DEFAULT_FORM = "order_lookup_form"
CONFIRMED_FORMS = tuple(TASK_FORMS[intent] for intent in CONFIRMED_INTENTS)  # the triage confirms these too
# "我的积分怎么用" has the own-order shape but is about the account: the shape counts only with a word
# of an order's life (a purchase, its parcel, its after-sales)
ORDER_WORDS = re.compile(r"订单|单子|[这那此该]单|包裹|快递|物流|发货|发出|到货|收到|送到|送货|配送|派送|退货|退款|换货|"
                         r"退|换|买|拍|下单|售后|发票|收货|取消|拦截")

# "我买的破壁机有质量问题 多少天内可以换", "这种情况运费谁出": the customer asks for a figure of the rule,
# which the answer gives whatever their order; "还能退吗" asks whether their own case qualifies
RULE_FIGURE = re.compile(r"多少天|多久|几天|多长时间|谁出|谁付|谁承担|多少钱|怎么算|怎么收|还是")  # 还是: "A还是B" asks which way


def about_own_order(tracker: Tracker, text: str) -> bool:
    """The message refers to the customer's own order: a word of an order's life, with a request or
    own-order shape (actions/request_kind.py) or, from an identified customer, an item of one of their
    orders ("耳机保修多久" from a buyer of 蓝牙耳机 stays a question about the rule)."""
    if ORDER_WORDS.search(text) is None:
        return False
    return request_kind(text) == "task" or names_own_purchase(tracker, text)


def task_form_for(latest_message: Dict[Text, Any], text: str) -> str:
    """The order form for the message's topic (see the module docstring)."""
    if PRICE_PROTECTION.search(text):
        return "price_protect_form"
    ranking: List[Dict[Text, Any]] = latest_message.get("intent_ranking") or []
    for candidate in ranking[:RANKED_CANDIDATES]:
        form = TASK_FORMS.get(candidate.get("name") or "")
        if form:
            return form
    return DEFAULT_FORM


def own_order_task(tracker: Tracker, text: str) -> Optional[str]:
    """The form to start after the knowledge answer, or None when the message is not about the
    customer's own order, asks for a figure of the rule, or a form is already running."""
    if tracker.active_loop_name or not text.strip() or RULE_FIGURE.search(text) \
            or not about_own_order(tracker, text):
        return None
    return task_form_for(tracker.latest_message, text)


def task_start_events(dispatcher: CollectingDispatcher, tracker: Tracker, text: str,
                      form: str) -> List[Dict[Text, Any]]:
    """Start `form` as the triage does for a request (actions/triage.py): the order the customer's
    words pick, and the return details they already gave."""
    own = own_order_events(tracker, text, False)
    if picked_order(own) and form in CONFIRMED_FORMS:
        dispatcher.utter_message(text=f"好的，是订单{picked_order(own)}吧，我来帮您办理。")
    details = return_details_in(text) if form == "return_form" else {}
    return [SlotSet("request_kind", "task"), *own, *(SlotSet(name, value) for name, value in details.items()),
            FollowupAction(form)]
