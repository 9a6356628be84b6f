"""WithdrawnComplaint in the real Rasa 3.6.21 environment: a complaint the message takes back gives
way to the next-ranked intent; any other message keeps its intent. The messages were written for
this test."""
from __future__ import annotations

from tests.rasa_plugins.nlu.rasa_side import run_in_rasa

SCRIPT = """
import json
from pathlib import Path
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa_plugins.nlu.withdrawn_complaint import WithdrawnComplaint

storage = LocalModelStorage(Path({tmp!r}))
component = WithdrawnComplaint.create({{}}, storage, Resource("w"), ExecutionContext(GraphSchema({{}}), "w"))
ranking = [{{"name": "complaint", "confidence": 0.6}}, {{"name": "nlu_fallback", "confidence": 0.3}},
           {{"name": "track_logistics", "confidence": 0.2}}]
cases = [("本来想投诉你们的 想想算了 不投诉了 你就帮我看看羽绒服寄到哪了", "complaint"),
         ("我要投诉你们 快递三天没动", "complaint"),
         ("不是要投诉 就问问快递到哪了", "track_logistics")]
messages = [Message(data={{"text": t, "intent": {{"name": i, "confidence": 0.6}},
                          "intent_ranking": ranking if i == "complaint" else [{{"name": i, "confidence": 0.6}}]}})
            for t, i in cases]
component.process(messages)
print(json.dumps([[m.get("intent")["name"], bool(m.get("complaint_withdrawn"))] for m in messages]))
"""


def test_a_withdrawn_complaint_gives_way_to_what_the_message_asks_next(tmp_path) -> None:
    result = run_in_rasa(SCRIPT.format(tmp=str(tmp_path)))
    assert result == [["track_logistics", True], ["complaint", False], ["track_logistics", False]]
