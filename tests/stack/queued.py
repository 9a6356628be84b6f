"""What a queued customer must hear for a further message, whatever the hour and whoever is online."""
from __future__ import annotations

import re
from typing import Any

TICKET_NUMBER = re.compile(r"工单[TC]\d{6}")


def heard_it_is_kept(reply: dict[str, Any]) -> bool:
    """With someone able to take the conversation, the message arrived and the wait; with nobody
    (out of hours, nobody online), the ticket that keeps it, and no wait."""
    text = reply["messages"][0]["text"] or ""
    if reply.get("queue"):
        return "消息已收到" in text and f"预计等待约{reply['queue']['wait_minutes']}分钟" in text
    return TICKET_NUMBER.search(text) is not None and "预计等待" not in text
