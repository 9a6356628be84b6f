"""The HTML report in real headless Chromium: it renders, is self-contained, and shows exactly
the numbers of results.json (from a real run of the offline suites and from hand-written results
that include an NLU section in the agreed schema)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from eval.cli import main
from eval.report.html import write_report
from eval.report.sections import fmt
from tests.bot.gateway.handoff_flow import browser_missing, chromium
from tests.eval.fixtures import results

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")


def shown_metrics(page: Path) -> dict[str, tuple[str, str]]:
    """data-metric -> (data-value, text) of every metric element, read by the browser."""
    with chromium() as driver:
        driver.get(page.as_uri())
        assert driver.title == "Kefu evaluation"
        elements = driver.find_elements(By.CSS_SELECTOR, "[data-metric]")
        shown = {e.get_attribute("data-metric"): (e.get_attribute("data-value"), e.get_attribute("textContent"))
                 for e in elements}
        assert driver.execute_script("return document.querySelectorAll('svg.chart').length") >= 1
        assert driver.execute_script("return document.scripts.length") == 0
    return shown


def assert_numbers_match(page: Path, data: dict) -> None:
    shown = shown_metrics(page)
    expected = {f"{suite}:{name}": value for suite, result in data["suites"].items()
                for name, value in result["metrics"].items()}
    assert expected and set(expected) <= set(shown)
    for key, value in expected.items():
        raw, text = shown[key]
        assert (raw == "None" and value is None) or float(raw) == pytest.approx(value), key
        assert text.strip() == fmt(value), key


def test_report_of_a_real_offline_run_matches_its_json(tmp_path: Path) -> None:
    assert main(["retrieval,rag", "--quick", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["meta"]["git"]["commit"] and data["meta"]["durations_s"].keys() == {"retrieval", "rag"}
    page = tmp_path / "report.html"
    assert_numbers_match(page, data)
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?://""", html), "the report must not load anything"
    cards = re.findall(r'data-threshold="([^"]+)" data-passed="(\w+)"', html)
    assert cards and all(passed in ("true", "false", "none") for _, passed in cards)
    assert {f"{r['suite']}:{r['metric']}" for r in data["thresholds"]} == {name for name, _ in cards}


def test_every_section_renders_with_its_plots_and_failures(tmp_path: Path) -> None:
    data = results(tmp_path)
    page = write_report(data, tmp_path / "report.html", nlu_png_dir=tmp_path)
    assert_numbers_match(page, data)
    with chromium() as driver:
        driver.get(page.as_uri())
        verdict = driver.find_element(By.ID, "verdict").text
        assert "Thresholds failed" in verdict and "1 pass, 1 fail, 1 not run" in verdict
        failing = driver.find_element(By.CSS_SELECTOR, '[data-threshold="rag:abstained_when_unanswerable"]')
        assert "fail" in failing.get_attribute("class") and "0.2500" in failing.text
        for section in ("retrieval", "rag", "nlu", "conversations", "handoff", "latency"):
            assert driver.find_element(By.ID, f"suite-{section}").is_displayed()
        image = driver.find_element(By.CSS_SELECTOR, "#suite-nlu img.png")
        assert image.get_attribute("src").startswith("data:image/png;base64,")
        assert driver.execute_script("return arguments[0].naturalWidth", image) == 1
        page_text = driver.find_element(By.TAG_NAME, "body").get_attribute("textContent")
        assert "<b>不是HTML</b>" in page_text, "failure text is escaped, not rendered as markup"
        assert "step 2 expected action utter_x, got action utter_y" in page_text
        bars = driver.find_elements(By.CSS_SELECTOR, "#suite-nlu svg.chart rect title")
        assert len(bars) >= 6  # 3 intents x 2 pipelines
        assert driver.find_elements(By.CSS_SELECTOR, "#suite-latency svg.chart line[stroke-dasharray]")


def test_without_a_png_the_confusion_matrix_is_drawn_from_the_numbers(tmp_path: Path) -> None:
    page = write_report(results(tmp_path, with_png=False), tmp_path / "report.html", nlu_png_dir=tmp_path)
    with chromium() as driver:
        driver.get(page.as_uri())
        cells = driver.find_elements(By.CSS_SELECTOR, "#suite-nlu svg[aria-label='confusion matrix'] rect")
        assert len(cells) == 9
        titles = [c.get_attribute("textContent") for c in cells]
        assert "true order_status → predicted request_human: 2" in titles
