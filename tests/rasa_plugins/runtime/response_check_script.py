"""Runs in the Rasa environment: stock vs Kefu's check of action-server replies, on the same inputs.

Prints one JSON line: for each case, whether the reply was accepted and the error text if not.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Dict

from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

CASES: Dict[str, Any] = {
    "slots and a response": {"events": [{"event": "slot", "timestamp": None, "name": "emotion", "value": "不满"}],
                             "responses": [{"text": "非常抱歉"}]},
    "form events": {"events": [{"event": "active_loop", "name": "order_lookup_form"},
                               {"event": "slot", "name": "requested_slot", "value": "order_number"}],
                    "responses": []},
    "empty": {"events": [], "responses": []},
    "unknown event": {"events": [{"event": "not_an_event"}], "responses": []},
    "events not a list": {"events": {"event": "slot"}, "responses": []},
    "response not an object": {"events": [], "responses": ["text"]},
}


def check_all() -> Dict[str, Any]:
    action = RemoteAction("action_probe", None)
    outcome = {}
    for name, result in CASES.items():
        try:
            outcome[name] = {"accepted": action._validate_action_result(result)}
        except ValidationError as error:
            outcome[name] = {"accepted": False, "message": error.message}
    return outcome


if __name__ == "__main__":
    if sys.argv[1] == "kefu":
        from rasa_plugins.runtime import action_response_check

        action_response_check.install()
        action_response_check.install()  # idempotent
        assert getattr(RemoteAction, "_kefu_cached_response_validator")
    print(json.dumps(check_all(), ensure_ascii=False))
