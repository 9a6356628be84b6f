"""Invoice form: a customer asks for an e-invoice for their own order ("保温杯那单帮我开个发票 开公司的").

The form finds and verifies the order like every order form (actions/verification.py), then asks
for the invoice's title (抬头) and, for a company, its tax number (税号); both may come in one
message. The submit action records the request while the order is within the 90 days of
docs/shop-facts.md; the invoice is issued within 48 h of the receipt confirmation. A question about
invoices ("发票能改抬头吗") never gets here: action_answer_topic answers it from the knowledge base.
"""
import re
from datetime import date
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.policy import invoice_blocker
from actions.promises import keep_promise
from actions.shop.repository import Order
from actions.store import shop_repository
from actions.verification import OrderFormValidation, answered_a_question_instead, order_to_act_on
from actions.withdrawal import filed
from bot.handoff import OPERATION

INVOICE_HOURS = 48  # an electronic invoice after delivery: promised in words and kept by a ticket

PERSONAL = "个人"
# a 统一社会信用代码 is 18 characters; older tax numbers have 15 to 20
_TAX_ID = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{15,20}(?![0-9A-Z])")
_ORGANISATION = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·]{2,40}?(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|"
                           r"研究院|研究所|事务所|工作室|中心|学校|大学|学院|医院|协会|银行|商行|商店|厂|店|部)")
_LABELLED_TITLE = re.compile(r"(?:抬头|单位|公司名称?)\s*(?:是|为|:|：)?\s*([^，,。；;\s]{2,40})")
# a personal invoice is asked for in words; a bare short reply ("不知道", "公司的") is not a name
_PERSON = re.compile(r"^(?:开|就开|开个)?(?:个人|私人)")
_FULL_COMPANY = re.compile(r"有限责任公司|股份有限公司|有限公司")
_LEADING_WORDS = re.compile(r"^(?:抬头|单位|公司名称?|发票抬头)\s*(?:是|为|:|：)?\s*")


def parse_invoice_details(text: str) -> Tuple[Optional[str], Optional[str]]:
    """(title, tax number) found in a message; the title is 个人 for a personal invoice."""
    upper = text.upper()
    tax = _TAX_ID.search(upper.replace(" ", ""))
    tax_id = tax.group(0) if tax and any(ch.isdigit() for ch in tax.group(0)) else None
    organisation = _ORGANISATION.search(_LEADING_WORDS.sub("", text.strip()))
    if organisation:
        return organisation.group(0), tax_id
    labelled = _LABELLED_TITLE.search(text)
    if labelled and not _TAX_ID.fullmatch(labelled.group(1).upper()):
        return labelled.group(1), tax_id
    if _PERSON.search(text.strip()):
        return PERSONAL, tax_id
    return None, tax_id


def is_personal(title: Optional[str]) -> bool:
    """A personal invoice (个人, or a person's name given as the title: "抬头 王小明") needs no tax number."""
    return bool(title) and _ORGANISATION.search(title or "") is None


class ValidateInvoiceForm(OrderFormValidation):
    def name(self) -> Text:
        return "validate_invoice_form"

    def order_blocker(self, order: Order) -> Optional[str]:
        return invoice_blocker(order, date.today())

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        if is_personal(tracker.get_slot("invoice_title")):
            return [slot for slot in slots if slot != "tax_id"]
        return slots

    async def extract_invoice_title(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        """A company's full name the customer gave with the request ("羊毛衫那单帮我开个发票 抬头
        广州市睿联科技有限公司"): not asked for again."""
        return self._given_in_passing("invoice_title", tracker)

    async def extract_tax_id(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        return self._given_in_passing("tax_id", tracker)

    @staticmethod
    def _given_in_passing(slot: str, tracker: Tracker) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") in ("invoice_title", "tax_id") or tracker.get_slot(slot):
            return {}  # asked for: the slot's from_text mapping and its validation read the answer
        text = tracker.latest_message.get("text") or ""
        title, tax_id = parse_invoice_details(text)
        if slot == "tax_id":
            return {"tax_id": tax_id} if tax_id else {}
        # only a full company name is safe to take unasked ("抬头写公司名就行" names no title)
        return {"invoice_title": title} if title and _FULL_COMPANY.search(title) else {}

    async def validate_invoice_title(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        title, tax_id = parse_invoice_details(str(value))
        if title is None and await answered_a_question_instead(dispatcher, tracker):
            return {"invoice_title": None}
        if title is None:
            dispatcher.utter_message(text="没能识别出发票抬头。公司发票请发公司全称（例如“杭州某某科技有限公司”），"
                                          "个人发票回复“个人”即可。")
            return {"invoice_title": None}
        return {"invoice_title": title, **({"tax_id": tax_id} if tax_id else {})}

    async def validate_tax_id(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        _, tax_id = parse_invoice_details(str(value))
        if tax_id is None and await answered_a_question_instead(dispatcher, tracker):
            return {"tax_id": None}
        if tax_id is None:
            dispatcher.utter_message(text="税号一般是18位数字和大写字母（统一社会信用代码），请核对后再发一次。")
            return {"tax_id": None}
        return {"tax_id": tax_id}


class ActionSubmitInvoice(Action):
    def name(self) -> Text:
        return "action_submit_invoice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        order = order_to_act_on(dispatcher, tracker, lambda order: invoice_blocker(order, date.today()))
        if order is None:
            return []
        title = tracker.get_slot("invoice_title") or PERSONAL
        tax_id = "" if is_personal(title) else (tracker.get_slot("tax_id") or "")
        request_id = shop_repository().create_invoice_request(order.order_number, title, tax_id)
        when = (f"电子发票会在{INVOICE_HOURS}小时内开具" if order.status == "已签收"
                else f"确认收货后{INVOICE_HOURS}小时内为您开具电子发票")
        detail = f"抬头：{title}" + (f"，税号：{tax_id}" if tax_id else "")
        dispatcher.utter_message(text=f"已为您登记订单{order.order_number}的发票申请（申请编号I{request_id}，{detail}），"
                                      f"{when}，开好后可在“我的订单”里下载。")
        keep_promise(dispatcher, f"开发票订单{order.order_number}", OPERATION, f"I{request_id}", detail,
                     due_hours=INVOICE_HOURS if order.status == "已签收" else None)
        return [SlotSet("invoice_title", None), SlotSet("tax_id", None),
                filed("invoice", f"I{request_id}", order.order_number)]
