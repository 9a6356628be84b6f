"""Asking the same thing again is a signal of its own: a customer who sends the same question a third
time in one conversation has not been helped, whatever the words (the playbook's "repeated
unresolved contact"). Two messages are the same question when their character bigrams overlap
mostly (Jaccard >= SAME_QUESTION), after normalisation; very short messages ("好的", "嗯") never count.

A customer may also say so in one message: "这已经是第三次了", "找了你们好几次", "说了三遍了". That is
the same signal, given in words (`says_contacted_again`).
"""
from __future__ import annotations

import re

from rasa_plugins.text.normalize import normalize_text

_CONTACTED_AGAIN = re.compile(
    r"第\s*[三四五六七八九十3-9]\s*(次|遍|回)|"
    r"(说|问|找|联系|打|反映|反馈|催|来|申请|讲)(了|过)?\s*(好几|好多|三|四|五|N|n|无数|很多|多少)\s*(次|遍|回)|"
    r"三番五次|一次又一次|又又又|(一直|总是|每次都)(踢皮球|推来推去|没人管|没人处理)")
SAME_QUESTION = 0.7
MIN_CHARS = 5
HANDOFF_AT = 3  # the third time the same question is asked


def _bigrams(text: str) -> set[str]:
    squeezed = "".join(ch for ch in normalize_text(text).lower() if ch.isalnum())
    return {squeezed[i:i + 2] for i in range(len(squeezed) - 1)}


def times_asked(text: str, earlier: list[str]) -> int:
    """How many times this question has now been asked: 1 + the earlier messages that ask it too."""
    current = _bigrams(text)
    if len(current) < MIN_CHARS - 1:
        return 1
    same = 0
    for message in earlier:
        other = _bigrams(message)
        if other and len(current & other) / len(current | other) >= SAME_QUESTION:
            same += 1
    return 1 + same


def says_contacted_again(text: str) -> bool:
    """The customer says this is a repeated contact ("第三次了", "问了好几遍", "一直踢皮球")."""
    return bool(_CONTACTED_AGAIN.search(normalize_text(text or "")))
