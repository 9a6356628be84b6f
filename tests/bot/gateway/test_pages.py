"""The widget and the console in real headless Chromium against a live gateway (Rasa stand-in)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.bot.gateway.handoff_flow import browser_missing, run_handoff_flow
from tests.bot.gateway.live_gateway import LiveGateway
from tests.bot.gateway.rasa_standin import RasaStandin

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")


def test_customer_and_agent_pages_carry_the_whole_handoff(tmp_path: Path, rasa: RasaStandin) -> None:
    gateway = LiveGateway(tmp_path, rasa.port, seed_demo_agents=True).start()
    screenshots = Path(os.environ.get("KEFU_SCREENSHOTS") or tmp_path / "screenshots")
    try:
        assert run_handoff_flow(gateway.url, "super1", "kefu-super1", "好物优选", screenshots) == 5
    finally:
        gateway.stop()
