"""Check the action server's replies against Rasa's schema once-compiled, not re-compiled per call.

Rasa 3.6 checks every action-server response with ``jsonschema.validate(result, schema)``
(``RemoteAction._validate_action_result``). That helper first validates the *schema itself*
against JSON Schema's metaschema, on every call; Rasa's events schema is large, so on the shared
2-core reference box the check costs ~23 ms of the ~26 ms per call, and a Kefu turn makes one to
three such calls (the emotion check after every message, a form's validation and its question).
We build the validator once, check the schema once at install, and validate each response with
it: the same schema, the same ``ValidationError`` text for a bad response, ~1.3 ms per call
(``python -m eval.bench.rasa_turn_profile --actions ...`` shows the turn before and after).
"""
from __future__ import annotations

from typing import Any, Dict, Text

_PATCHED_FLAG = "_kefu_cached_response_validator"


def install() -> None:
    """Replace ``RemoteAction._validate_action_result`` with the cached-validator check (idempotent)."""
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction, _PATCHED_FLAG, False):
        return
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate would check on every call
    validator = validator_class(schema)
    original = RemoteAction._validate_action_result

    def validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        from jsonschema import ValidationError

        try:
            validator.validate(result)
        except ValidationError:
            return original(self, result)  # Rasa's own path: same error, with Rasa's hint appended
        return True

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    setattr(RemoteAction, _PATCHED_FLAG, True)
