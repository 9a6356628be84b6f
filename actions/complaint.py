"""Complaint form following LAMA: Listen, Apologize, Make it right, Appreciate."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.handoff import handoff_events, is_risky, people_hours
from actions.promises import keep_promise
from actions.store import shop_repository
from bot.handoff import COMPLAINT

RESTATED_CHARS = 40
ANSWER_HOURS = {"钻石": 1, "金卡": 12}


class ValidateComplaintForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_complaint_form"

    def validate_complaint_detail(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Listen, then apologise and restate the problem so the customer feels understood."""
        detail = str(value).strip()
        if len(detail) < 4:
            dispatcher.utter_message(text="能再具体说说吗？比如哪个订单、发生了什么。")
            return {"complaint_detail": None}
        restated = detail if len(detail) <= RESTATED_CHARS else detail[:RESTATED_CHARS] + "……"
        dispatcher.utter_message(text=f"非常抱歉给您带来这样的经历。我理解您反映的是：“{restated}”。")
        return {"complaint_detail": detail}

    def validate_complaint_resolution(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        resolution = str(value).strip()
        if len(resolution) < 2:
            dispatcher.utter_message(text="请告诉我您希望的处理方式，例如退款、换货、补偿或专人回电。")
            return {"complaint_resolution": None}
        return {"complaint_resolution": resolution}


class ActionSubmitComplaint(Action):
    """Make it right (a recorded complaint with an owner and a deadline) and appreciate."""

    def name(self) -> Text:
        return "action_submit_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        repository = shop_repository()
        detail = tracker.get_slot("complaint_detail") or ""
        resolution = tracker.get_slot("complaint_resolution") or ""
        customer = repository.customer_by_sender(tracker.sender_id)
        risky = is_risky([detail, resolution])
        priority = "high" if risky or (customer is not None and customer.is_vip) else "normal"
        complaint_id = repository.record_complaint(tracker.sender_id,
                                                   tracker.get_slot("order_number"), detail,
                                                   resolution, priority)
        standard = people_hours().sla_hours(COMPLAINT)  # kefu.yml service.sla_hours
        hours = min(ANSWER_HOURS.get(customer.tier, standard), standard) if customer else standard
        reference = f"C{complaint_id:06d}"
        dispatcher.utter_message(
            text=f"已为您登记投诉，单号{reference}。专人会在{hours:g}小时内按您希望的“{resolution}”"
                 "跟进处理。感谢您告诉我们这些，您的反馈让我们做得更好。")
        # the promise's keeper: the gateway opens a ticket with this deadline for the complaints group
        keep_promise(dispatcher, f"投诉：{detail[:40]}", COMPLAINT, reference, f"{detail}\n希望的处理方式：{resolution}",
                     due_hours=hours, priority=priority)
        reset = [SlotSet("complaint_detail", None), SlotSet("complaint_resolution", None)]
        if risky:
            return reset + handoff_events(dispatcher, tracker, reason="complaint_escalation",
                                          klass=COMPLAINT)
        return reset
