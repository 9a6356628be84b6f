"""The handoff story in two real headless Chromium windows (customer widget, agent console).

Shared by the quick browser test (gateway + Rasa stand-in) and the full-stack e2e test.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--window-size=1280,860")
HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"


def browser_missing() -> str | None:
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not Path(binary).exists() and not shutil.which(Path(binary).name):
            return f"{binary} is missing: run scripts/system-packages.sh"
    return None


@contextmanager
def chromium() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for_text(driver: WebDriver, selector: str, text: str, timeout: float = 30) -> None:
    WebDriverWait(driver, timeout).until(
        lambda d: any(text in e.text for e in d.find_elements(By.CSS_SELECTOR, selector)),
        f"{text!r} never appeared in {selector}")


def say(driver: WebDriver, text: str) -> None:
    box = driver.find_element(By.ID, "input")
    box.send_keys(text)
    driver.find_element(By.ID, "send").click()


def run_handoff_flow(base_url: str, username: str, password: str, bot_greeting: str, screenshots: Path) -> int:
    """Customer asks, bot answers; 转人工 → console queue with summary; claim; live exchange both
    ways; resolve → rating question → rating stored. Returns the stored score."""
    screenshots.mkdir(parents=True, exist_ok=True)
    with chromium() as customer, chromium() as console:
        customer.get(base_url + "/")
        say(customer, "你好")
        wait_for_text(customer, ".message.bot", bot_greeting)
        say(customer, "转人工")
        wait_for_text(customer, "#status", "转接人工中")
        customer.save_screenshot(str(screenshots / "widget-queued.png"))

        console.get(base_url + "/console")
        WebDriverWait(console, 15).until(lambda d: d.find_element(By.ID, "login-user").is_displayed())
        console.find_element(By.ID, "login-user").send_keys(username)
        console.find_element(By.ID, "login-pass").send_keys(password)
        console.find_element(By.ID, "login-btn").click()
        # The queue may hold other customers (a shared stack): claim this customer's conversation.
        conversation = customer.execute_script("return window.localStorage.getItem('kefu.conversation')")
        assert conversation, "the widget did not keep its conversation id"
        own_claim = f".queue-item button.claim[data-conversation='{conversation}']"
        WebDriverWait(console, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, own_claim))
        wait_for_text(console, ".queue-item", "转人工")
        console.save_screenshot(str(screenshots / "console-queue.png"))
        console.find_element(By.CSS_SELECTOR, own_claim).click()
        wait_for_text(customer, "#status", "为您服务")

        console.find_element(By.ID, "reply").send_keys("您好，我是人工客服，请问有什么可以帮您？")
        console.find_element(By.ID, "reply-btn").click()
        wait_for_text(customer, ".message.agent", "我是人工客服")
        say(customer, HOSTILE)
        wait_for_text(console, "#transcript .message.customer", "<script>window.__pwned=1</script>")
        wait_for_text(customer, ".message.customer", "<img src=x")
        assert customer.execute_script("return window.__pwned === undefined")
        assert console.execute_script("return window.__pwned === undefined")
        console.save_screenshot(str(screenshots / "console-chat.png"))
        customer.save_screenshot(str(screenshots / "widget-agent.png"))

        console.find_element(By.ID, "resolve-btn").click()
        wait_for_text(customer, ".message", "打分")
        say(customer, "5")
        wait_for_text(customer, ".message", "感谢您的评价")
        customer.save_screenshot(str(screenshots / "widget-rated.png"))

    token = httpx.post(f"{base_url}/api/console/login", json={"username": username, "password": password}).json()["token"]
    ratings = httpx.get(f"{base_url}/api/console/ratings", headers={"Authorization": f"Bearer {token}"}).json()["ratings"]
    return ratings[0]["score"]
