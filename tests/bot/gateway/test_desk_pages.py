"""The agent desk in real headless Chromium against a live gateway (Rasa stand-in, the real knowledge
index): an agent answers with a suggested answer and a quick reply; a supervisor on the live board
sees a red alert for an angry message in an agent's conversation, whispers, and takes it over; a
conversation is pushed to an agent and, declined or left to lapse, to the next. Screenshots go to
$KEFU_SCREENSHOTS (docs/screenshots/ holds the ones in the docs)."""
from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from bot.gateway.agents import create_agent
from bot.gateway.store import Store
from tests.bot.gateway.handoff_flow import browser_missing, chromium, wait_for_text
from tests.bot.gateway.live_gateway import LiveGateway
from tests.bot.gateway.rasa_standin import RasaStandin

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")
REPO = Path(__file__).resolve().parents[3]
ANGRY = "等了十几天了还不发货，客服也不理人，太过分了，气死我了"
LAPTOP = (1366, 768)


class Customer:
    """A guest chatting over the REST API."""

    def __init__(self, url: str, sender: str) -> None:
        self.url, self.sender, self.token, self.conversation = url, sender, None, None

    def say(self, text: str) -> dict:
        reply = httpx.post(f"{self.url}/api/chat", json={"sender": self.sender, "message": text, "token": self.token},
                           timeout=30).json()
        self.token = self.token or reply.get("token")
        self.conversation = reply["conversation"]
        return reply

    def transcript(self) -> str:
        return httpx.get(f"{self.url}/api/conversations/{self.conversation}/messages",
                         params={"token": self.token}, timeout=10).text


def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KEFU_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(driver: WebDriver, url: str, username: str, password: str, name: str) -> None:
    driver.set_window_size(*LAPTOP)
    driver.get(url + "/console")
    WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "login-user").is_displayed())
    driver.find_element(By.ID, "login-user").send_keys(username)
    driver.find_element(By.ID, "login-pass").send_keys(password)
    driver.find_element(By.ID, "login-btn").click()
    wait_for_text(driver, "#me", name)
    assert not driver.find_element(By.ID, "login").is_displayed()  # the login panel goes away
    assert driver.find_element(By.ID, "workspace").rect["y"] == 0  # and the console starts at the top


def agent_claims(console: WebDriver, url: str, conversation: str) -> None:
    """小李 logs in and claims the conversation from the queue; it opens."""
    log_in(console, url, "agent2", "kefu-agent2", "小李")
    claim = f".queue-item button.claim[data-conversation='{conversation}']"
    WebDriverWait(console, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, claim))
    console.find_element(By.CSS_SELECTOR, claim).click()
    wait_for_text(console, "#title", "会话")


def desk_gateway(tmp_path: Path, rasa: RasaStandin, knowledge: dict[str, str], **desk: object) -> LiveGateway:
    return LiveGateway(tmp_path, rasa.port, seed_demo_agents=True, paths=knowledge,
                       desk={"quick_replies": str(REPO / "desk" / "quick_replies.yml"), **desk}).start()


def test_an_agent_answers_with_a_suggestion_and_a_quick_reply(tmp_path: Path, rasa: RasaStandin,
                                                              knowledge_paths: dict[str, str]) -> None:
    gateway = desk_gateway(tmp_path, rasa, knowledge_paths)
    customer = Customer(gateway.url, "desk-page-1")
    try:
        customer.say("转人工")
        with chromium() as console:
            agent_claims(console, gateway.url, customer.conversation)
            customer.say("退货寄回去以后，退款多久能到账？")
            wait_for_text(console, "#suggestions .suggestion", "1–3个工作日")
            console.save_screenshot(str(screenshots(tmp_path) / "desk-suggestions.png"))
            cards = console.find_elements(By.CSS_SELECTOR, "#suggestions .suggestion")
            right = next(card for card in cards if "1–3个工作日" in card.text)
            right.find_element(By.CSS_SELECTOR, ".use-suggestion").click()
            assert "1–3个工作日" in console.find_element(By.ID, "reply").get_attribute("value")
            console.find_element(By.ID, "reply").send_keys(Keys.ENTER)
            WebDriverWait(console, 15).until(lambda d: "1–3个工作日" in customer.transcript())

            box = console.find_element(By.ID, "reply")
            box.send_keys("/问")
            wait_for_text(console, "#qr-menu .qr-item", "接入问候")
            box.send_keys(Keys.ENTER)  # picks the first match; the gateway fills the variables
            WebDriverWait(console, 15).until(lambda d: "我是客服小李" in d.find_element(By.ID, "reply").get_attribute("value"))
            box.send_keys(Keys.ENTER)
            WebDriverWait(console, 15).until(lambda d: "我是客服小李" in customer.transcript())
        token = httpx.post(f"{gateway.url}/api/console/login", json={"username": "super1", "password": "kefu-super1"}).json()["token"]
        usage = httpx.get(f"{gateway.url}/api/console/quick-replies/usage", headers={"Authorization": f"Bearer {token}"}).json()
        assert usage["usage"][0]["shortcut"] == "问候" and usage["usage"][0]["by_agent"] == {"小李": 1}
    finally:
        gateway.stop()


def test_a_supervisor_sees_a_red_alert_whispers_and_takes_over(tmp_path: Path, rasa: RasaStandin,
                                                               knowledge_paths: dict[str, str]) -> None:
    gateway = desk_gateway(tmp_path, rasa, knowledge_paths)
    customer = Customer(gateway.url, "desk-page-2")
    try:
        customer.say("转人工")
        with chromium() as console, chromium() as board:
            agent_claims(console, gateway.url, customer.conversation)

            log_in(board, gateway.url, "super1", "kefu-super1", "张主管")
            board.get(gateway.url + "/console/board")
            wait_for_text(board, "#rows", "小李")
            customer.say(ANGRY)
            wait_for_text(board, "#alert-banner", "红色预警")
            wait_for_text(board, "#rows tr.level-3-row", "红色预警")
            wait_for_text(console, "#transcript .level-3", "红色预警")  # the agent sees the level too
            assert console.find_elements(By.CSS_SELECTOR, "#transcript button.calming")  # with a calming line
            board.save_screenshot(str(screenshots(tmp_path) / "board-alert.png"))

            board.find_element(By.CSS_SELECTOR, "#alert-banner button").click()
            wait_for_text(board, "#transcript", ANGRY[:8])
            board.find_element(By.ID, "whisper-input").send_keys("先道歉，再给一张补偿券")
            board.find_element(By.ID, "whisper-btn").click()
            wait_for_text(console, "#transcript .whisper", "先道歉，再给一张补偿券")
            console.save_screenshot(str(screenshots(tmp_path) / "console-whisper.png"))
            assert "补偿券" not in customer.transcript()

            board.find_element(By.ID, "takeover-btn").click()
            wait_for_text(board, "#action-note", "已接管")
            wait_for_text(console, "#action-error", "张主管接管")
            WebDriverWait(console, 15).until(lambda d: not d.find_element(By.ID, "reply-form").is_displayed())
        assert "张主管为您服务" in customer.transcript()
    finally:
        gateway.stop()


def test_a_conversation_is_pushed_to_an_agent_then_the_next(tmp_path: Path, rasa: RasaStandin,
                                                            knowledge_paths: dict[str, str]) -> None:
    gateway = desk_gateway(tmp_path, rasa, knowledge_paths, push_groups=["咨询"], offer_seconds=4)
    store = Store(f"sqlite:///{gateway.database}")
    create_agent(store, "agent3", "third desk password", "agent", "咨询", "小赵")
    store.close()
    try:
        with chromium() as first, chromium() as second:
            log_in(first, gateway.url, "agent2", "kefu-agent2", "小李")
            log_in(second, gateway.url, "agent3", "third desk password", "小赵")
            customer = Customer(gateway.url, "desk-page-3")
            customer.say("转人工")
            offered = [d for d in (first, second) if d.find_elements(By.CSS_SELECTOR, "#offers .offer")]
            WebDriverWait(first, 15).until(lambda _: any(d.find_elements(By.CSS_SELECTOR, "#offers .offer") for d in (first, second)))
            offered = [d for d in (first, second) if d.find_elements(By.CSS_SELECTOR, "#offers .offer")]
            assert len(offered) == 1  # one agent at a time
            taker, other = offered[0], second if offered[0] is first else first
            taker.save_screenshot(str(screenshots(tmp_path) / "console-offer.png"))
            taker.find_element(By.CSS_SELECTOR, "#offers .decline-offer").click()
            WebDriverWait(other, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#offers .offer"))  # declined: next
            WebDriverWait(other, 15).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#offers .offer"))  # lapsed

            customer2 = Customer(gateway.url, "desk-page-4")
            customer2.say("转人工")
            WebDriverWait(first, 15).until(lambda _: any(d.find_elements(By.CSS_SELECTOR, "#offers .offer") for d in (first, second)))
            receiver = first if first.find_elements(By.CSS_SELECTOR, "#offers .offer") else second
            receiver.find_element(By.CSS_SELECTOR, "#offers .accept-offer").click()
            wait_for_text(receiver, "#title", "会话")
            WebDriverWait(receiver, 15).until(lambda d: d.find_element(By.ID, "reply-form").is_displayed())
        assert "为您服务" in customer2.transcript()
        store = Store(f"sqlite:///{gateway.database}")
        answers = [o.answer for o in store.open_offers()] + [a.action for a in store.audit_log(customer.conversation)]
        store.close()
        assert "offer_declined" in answers and "offer_expired" in answers
    finally:
        gateway.stop()
