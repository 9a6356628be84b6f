"""The stack the live eval tests talk to: the session's real stack (`running_stack`, started by
tests/conftest.py), or one already running when KEFU_EVAL_GATEWAY and KEFU_EVAL_RASA name it
(handy while the bot's data changes and every fresh start would retrain first)."""
from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def live_urls(request: pytest.FixtureRequest) -> tuple[str, str]:
    gateway, rasa = os.environ.get("KEFU_EVAL_GATEWAY"), os.environ.get("KEFU_EVAL_RASA")
    if gateway and rasa:
        return gateway, rasa
    stack = request.getfixturevalue("running_stack")
    # the eval signs identified customers' tokens with this stack's secret (eval/suites/context.py)
    os.environ["KEFU_EVAL_STACK_CONFIG"] = str(stack.config.root / "kefu.yml")
    return stack.gateway, stack.config.url("rasa")
