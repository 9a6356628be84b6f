"""The ticket desk in real headless Chromium against a live gateway (Rasa stand-in): a ticket made
at night by a handoff nobody could take moves through every status in the page (and is reopened),
is commented on and assigned; an overdue ticket is highlighted and counted. Screenshots go to
$KEFU_SCREENSHOTS (docs/screenshots/ holds the ones in the docs)."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from bot.clock import naive_utc_now
from bot.gateway.models import Ticket
from bot.gateway.store import Store
from tests.bot.gateway.handoff_flow import browser_missing, chromium, wait_for_text
from tests.bot.gateway.live_gateway import LiveGateway
from tests.bot.gateway.rasa_standin import RasaStandin

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")


def log_in(driver: WebDriver, base_url: str) -> None:
    driver.get(base_url + "/console")
    WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "login-user").is_displayed())
    driver.find_element(By.ID, "login-user").send_keys("super1")
    driver.find_element(By.ID, "login-pass").send_keys("kefu-super1")
    driver.find_element(By.ID, "login-btn").click()
    wait_for_text(driver, "#me", "张主管")  # logged in: the console shows who is at the desk


def move(driver: WebDriver, status: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f"#moves button[data-status='{status}']").click()
    wait_for_text(driver, "#facts", status)


def test_a_ticket_moves_through_every_status_in_the_console(tmp_path: Path, rasa: RasaStandin,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_CLOCK", "2026-12-07T23:10:00+08:00")  # nobody works at this hour
    gateway = LiveGateway(tmp_path, rasa.port, seed_demo_agents=True).start()
    screenshots = Path(os.environ.get("KEFU_SCREENSHOTS") or tmp_path / "screenshots")
    screenshots.mkdir(parents=True, exist_ok=True)
    try:
        night = httpx.post(f"{gateway.url}/api/chat", json={"sender": "night-owl", "message": "我要转人工"}, timeout=30).json()
        assert "工单T000001" in night["messages"][-1]["text"], night
        store = Store(f"sqlite:///{gateway.database}")
        store.add_ticket(Ticket(customer="u10002", source="agent", title="退款未到账（已超时）", agent_group="售后",
                                problem_class="故障类", due_at=naive_utc_now() - timedelta(hours=2)), "test", "overdue")
        store.close()
        with chromium() as driver:
            log_in(driver, gateway.url)
            driver.get(gateway.url + "/console/tickets")
            wait_for_text(driver, "#list", "T000001")
            wait_for_text(driver, "#breached", "超时 1")
            assert len(driver.find_elements(By.CSS_SELECTOR, ".ticket-card.breached")) == 1
            driver.save_screenshot(str(screenshots / "tickets-list.png"))

            driver.find_element(By.CSS_SELECTOR, ".ticket-card[data-ticket='1']").click()
            wait_for_text(driver, "#title", "T000001")
            for status in ("处理中", "待确认", "已关闭"):
                move(driver, status)
            wait_for_text(driver, "#followup", "回访")
            move(driver, "处理中")  # reopened
            driver.find_element(By.ID, "comment").send_keys("<b>已致电客户</b>，约定明天回电")
            driver.find_element(By.ID, "comment-btn").click()
            wait_for_text(driver, "#events", "<b>已致电客户</b>")
            assignee = driver.find_element(By.ID, "assignee")
            assignee.find_element(By.CSS_SELECTOR, "option[value='agent1']").click()
            driver.find_element(By.ID, "assign-btn").click()
            wait_for_text(driver, "#owner", "小王")
            driver.save_screenshot(str(screenshots / "ticket-page.png"))
            events = driver.find_element(By.ID, "events").text
            for change in ("待处理→处理中", "处理中→待确认", "待确认→已关闭", "reopened 已关闭→处理中", "assigned 小王"):
                assert change in events, events
    finally:
        gateway.stop()
