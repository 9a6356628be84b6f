"""The risk check on the shipped classifier and the real e5 build (bot/risk/detector.py)."""
from pathlib import Path

import pytest

from bot.handoff import GATEWAY_RISK_WORDS
from bot.risk.detector import RiskDetector
from bot.risk.model import DEFAULT_MODEL
from retrieval.embedders.e5_onnx import default_model_dir

needs_e5 = pytest.mark.skipif(not (default_model_dir() / "model.onnx").is_file(),
                              reason="the e5 build is made by ./kefu's setup")


@pytest.fixture(scope="module")
def detector() -> RiskDetector:
    return RiskDetector(GATEWAY_RISK_WORDS)


def test_words_decide_first_and_name_their_evidence(detector: RiskDetector) -> None:
    finding = detector.assess("再不退款我就找律师")
    assert finding is not None and finding.evidence == "word:律师" and finding.risk_class == "legal_media"


@needs_e5
@pytest.mark.parametrize("text, risk_class", [
    ("电暖器用了半小时插头就冒烟了，还有焦糊味", "safety_health"),
    ("我没买过东西，账户里却多了三笔订单，钱也扣了", "property_account"),
])
def test_danger_in_ordinary_words_is_found_by_the_classifier(detector: RiskDetector, text: str, risk_class: str) -> None:
    finding = detector.assess(text)
    assert finding is not None and finding.risk_class == risk_class and finding.evidence.startswith("model:")


@needs_e5
@pytest.mark.parametrize("text", ["你好", "发票怎么开", "这件衣服有M码吗", "请问什么时候发货", ""])
def test_ordinary_messages_are_not_risky(detector: RiskDetector, text: str) -> None:
    assert detector.assess(text) is None


def test_a_missing_model_leaves_the_words_working(tmp_path: Path) -> None:
    detector = RiskDetector(GATEWAY_RISK_WORDS, model_path=tmp_path / "absent.npz")
    assert detector.assess("燃气灶一直漏气") is None, "no classifier: only words count"
    assert detector.assess("我要投诉") is not None
    assert DEFAULT_MODEL.is_file(), "the shipped classifier is committed"
