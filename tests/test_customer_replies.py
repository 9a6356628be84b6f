"""The suite-wide customer-reply check (tests/customer_replies.py) is active and catches a leak."""
from __future__ import annotations

import httpx
import pytest
from starlette.testclient import WebSocketTestSession
from websockets.asyncio.client import ClientConnection as AsyncSocket
from websockets.sync.client import ClientConnection as SyncSocket

from tests.customer_replies import InternalDataLeaked, check_customer_reply

LEAK = {"messages": [{"text": "好的", "custom": {"handoff": {"reason": "customer_request", "summary": "VIP 王女士"}}}]}


def test_every_client_of_the_suite_is_wrapped() -> None:
    wrapped = [httpx.Client.send, httpx.AsyncClient.send, WebSocketTestSession.receive, SyncSocket.recv,
               AsyncSocket.recv]
    assert [f.__name__ for f in wrapped] == ["checked_send", "checked_async_send", "checked_receive",
                                             "checked_sync_recv", "checked_async_recv"]


@pytest.mark.parametrize("path", ["/api/chat", "/ws/chat?sender=a&token=b", "/api/conversations/abc/messages"])
def test_a_handoff_payload_in_a_customer_reply_fails(path: str) -> None:
    with pytest.raises(InternalDataLeaked, match="handoff"):
        check_customer_reply(path, LEAK)


def test_the_console_and_citations_are_not_customer_leaks() -> None:
    check_customer_reply("/api/console/queue", LEAK)  # agents see the handoff
    check_customer_reply("/api/chat", {"messages": [{"text": "答", "custom": {"citations": [{"title": "退货"}]}}]})
