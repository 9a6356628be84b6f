"""A customer waiting in the queue may change their mind: "算了 不用人工了", "不等了 问你个事 退款多久到".

Until an agent has claimed the conversation, a message that opens with a withdrawal takes it out
of the queue and back to the bot; whatever follows the withdrawal is the customer's next message to
the bot. A conversation an agent already holds is not withdrawn this way: the agent is talking to
the customer and closes it themselves.
"""
from __future__ import annotations

import re

LEFT_QUEUE_TEXT = "好的，已为您取消排队。还有什么可以帮您的，直接问我就行；需要人工时再说“转人工”。"
_WITHDRAWAL = re.compile(
    r"^\s*我?(算了算了|算了吧|算了|不用了|不需要了|不用人工了?|不要人工了?|不用转了|不转了|不等了|取消排队|取消转人工)"
    r"(?=$|[\s，,。.!！~～?？]|问|那|请问|我|你|谢)"  # a word of its own: not 算了一下
    r"[\s，,。.!！~～]*((我)?(再)?(问你个事|问一下|问下|问问|请问|那)[\s，,:：]*)?")
MIN_REST_CHARS = 2


def withdrawal(text: str) -> str | None:
    """None when the message does not withdraw; else what follows the withdrawal ("" when nothing)."""
    match = _WITHDRAWAL.match(text or "")
    if match is None:
        return None
    rest = text[match.end():].strip()
    return rest if sum(ch.isalnum() for ch in rest) >= MIN_REST_CHARS else ""
