"""Prompt-injection screening: knowledge text that talks to the model is never served."""
from __future__ import annotations

import re

INJECTION_PATTERNS: tuple[str, ...] = (
    r"忽略(以上|上面|之前|前面|先前|所有)(的)?(所有)?(指令|指示|规则|内容|要求|提示)",
    r"无视(以上|上面|之前|前面)(的)?(指令|指示|规则)",
    r"(你现在是|你现在扮演|假装你是)",
    r"(系统提示词|system prompt)",
    r"ignore (all )?(the )?(previous|above|prior) (instructions|prompts?|rules)",
    r"disregard (all )?(the )?(previous|above|prior)",
    r"you are now (a|an|the)\b",
)
_INJECTION = re.compile("|".join(INJECTION_PATTERNS), re.IGNORECASE)


def find_injection(text: str) -> str | None:
    """Return the offending phrase if the text contains an instruction aimed at a model."""
    match = _INJECTION.search(text)
    return match.group(0) if match else None
