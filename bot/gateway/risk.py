"""The gateway's own safety net: a risky message goes to a person before the bot answers it.

What counts as risky is bot/risk/detector.py's call (risk words as words, and the classifier for
danger in ordinary words); this module says what the customer and the agent are told.
"""
from __future__ import annotations

from typing import Any

from bot.handoff import COMPLAINT, HIGH_PRIORITY, Handoff, asks_to_be_put_through
from bot.risk.detector import RiskFinding

DEFAULT_RISK_REPLY = "已为您优先转接人工客服，请稍候。"
RISK_REPLIES = {
    "safety_health": "您的安全最重要！如有人受伤或仍有危险，请先停止使用、远离危险源，必要时立即拨打120或119。"
                     "已为您优先转接人工客服，请稍候。",
    "property_account": "请不要向任何人透露密码和验证码，也不要点击陌生链接；发现异常登录或扣款，请立即在“账号与安全”里"
                        "冻结账号并修改密码。已为您优先转接人工客服处理账户与资金安全问题，请稍候。",
}
RISK_LABELS = {"safety_health": "人身安全与健康", "property_account": "财产与账户安全", "legal_media": "法律/监管/媒体",
               "repeated_anger": "多次未解决或情绪激烈", "complaint": "投诉"}


def risk_reply(finding: RiskFinding, text: str = "") -> str:
    """The class's advice, or the plain transfer text when the class is only the classifier's guess
    and the customer asked for a person: "叫个人来处理" must not be told to guard their password."""
    if finding.evidence.startswith("model:") and asks_to_be_put_through(text):
        return DEFAULT_RISK_REPLY
    return RISK_REPLIES.get(finding.risk_class, DEFAULT_RISK_REPLY)


def risk_handoff(finding: RiskFinding, text: str) -> dict[str, Any]:
    """A handoff payload like the bot's, high priority, routed as a complaint."""
    label = RISK_LABELS.get(finding.risk_class, finding.risk_class)
    return Handoff(reason=f"risk:{finding.risk_class}:{finding.evidence}", priority=HIGH_PRIORITY,
                   problem_class=COMPLAINT, summary=f"风险：{label}（{finding.evidence}）；客户原话：「{text[:200]}」").to_payload()
