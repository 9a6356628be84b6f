"""SocialPhraseRescue in the real Rasa 3.6.21 environment: only a fallback is replaced, only for a
purely social message. The messages were written for this test."""
from __future__ import annotations

from tests.rasa_plugins.nlu.rasa_side import run_in_rasa

SCRIPT = """
import json
from pathlib import Path
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa_plugins.nlu.social_phrases import SocialPhraseRescue

storage = LocalModelStorage(Path({tmp!r}))
rescue = SocialPhraseRescue.create(SocialPhraseRescue.get_default_config(), storage, Resource("r"),
                                   ExecutionContext(GraphSchema({{}}), "r"))
cases = [("客服辛苦啦 新年快乐🧧", "nlu_fallback"), ("好吧 那就算了 知道了", "nlu_fallback"), ("哦哦 明白了", "nlu_fallback"),
         ("谢谢 那退款呢", "nlu_fallback"), ("好的", "affirm")]
messages = [Message(data={{"text": t, "intent": {{"name": i, "confidence": 0.4}},
                          "intent_ranking": [{{"name": i, "confidence": 0.4}}]}}) for t, i in cases]
rescue.process(messages)
print(json.dumps([[m.get("intent")["name"], m.get("social_rescue"), m.get("intent_ranking")[0]["name"]]
                  for m in messages]))
"""


def test_only_a_social_message_that_fell_back_is_rescued(tmp_path) -> None:
    result = run_in_rasa(SCRIPT.format(tmp=str(tmp_path)))
    assert result == [["thanks", "thanks", "thanks"], ["stop", "stop", "stop"], ["deny", "acknowledge", "deny"],
                      ["nlu_fallback", None, "nlu_fallback"], ["affirm", None, "affirm"]]
