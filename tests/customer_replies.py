"""The suite-wide check that nothing a customer receives carries internal data.

Every HTTP client in the tests (httpx's, FastAPI's TestClient, the eval harness's) and every
WebSocket client (the in-process test client, the `websockets` library's) are wrapped once per session (tests/conftest.py): a response
from a customer-facing endpoint of the gateway (`/api/chat`, `/api/conversations/…`, `/ws/chat`)
that holds a handoff payload, a trace or any other key of `bot.gateway.customer_view.INTERNAL_KEYS`
fails the test that received it. One assertion for the whole suite, not one test.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from starlette.testclient import WebSocketTestSession
from websockets.asyncio.client import ClientConnection as AsyncSocket
from websockets.sync.client import ClientConnection as SyncSocket

from bot.gateway.customer_view import internal_keys_in

CUSTOMER_PATHS = re.compile(r"^/(api/chat|api/conversations/[^/]+/messages|ws/chat)$")


class InternalDataLeaked(AssertionError):
    pass


def check_customer_reply(path: str, body: Any) -> None:
    path = path.split("?", 1)[0]
    if CUSTOMER_PATHS.match(path) and (leaked := internal_keys_in(body)):
        raise InternalDataLeaked(f"a customer-facing reply from {path} carries internal data {sorted(leaked)}: {body}")


def _json_of(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


@contextmanager
def customer_replies_checked() -> Iterator[None]:
    """Wrap the clients' send and receive for as long as the context lasts."""
    sync_send, async_send, ws_receive = httpx.Client.send, httpx.AsyncClient.send, WebSocketTestSession.receive

    def checked_send(self: httpx.Client, request: httpx.Request, **options: Any) -> httpx.Response:
        response = sync_send(self, request, **options)
        if CUSTOMER_PATHS.match(request.url.path) and not options.get("stream"):
            check_customer_reply(request.url.path, _json_of(response.read()))
        return response

    async def checked_async_send(self: httpx.AsyncClient, request: httpx.Request, **options: Any) -> httpx.Response:
        response = await async_send(self, request, **options)
        if CUSTOMER_PATHS.match(request.url.path) and not options.get("stream"):
            check_customer_reply(request.url.path, _json_of(await response.aread()))
        return response

    def checked_receive(self: WebSocketTestSession) -> Any:
        message = ws_receive(self)
        if isinstance(message, dict) and message.get("text"):
            check_customer_reply(str(self.scope.get("path")), _json_of(message["text"]))
        return message

    sync_recv, async_recv = SyncSocket.recv, AsyncSocket.recv

    def checked_sync_recv(self: SyncSocket, *args: Any, **kwargs: Any) -> Any:
        data = sync_recv(self, *args, **kwargs)
        check_customer_reply(self.request.path if self.request else "", _json_of(data))
        return data

    async def checked_async_recv(self: AsyncSocket, *args: Any, **kwargs: Any) -> Any:
        data = await async_recv(self, *args, **kwargs)
        check_customer_reply(self.request.path if self.request else "", _json_of(data))
        return data

    httpx.Client.send = checked_send  # type: ignore[method-assign]
    httpx.AsyncClient.send = checked_async_send  # type: ignore[method-assign]
    WebSocketTestSession.receive = checked_receive  # type: ignore[method-assign]
    SyncSocket.recv, AsyncSocket.recv = checked_sync_recv, checked_async_recv  # type: ignore[method-assign]
    try:
        yield
    finally:
        httpx.Client.send, httpx.AsyncClient.send = sync_send, async_send  # type: ignore[method-assign]
        WebSocketTestSession.receive = ws_receive  # type: ignore[method-assign]
        SyncSocket.recv, AsyncSocket.recv = sync_recv, async_recv  # type: ignore[method-assign]
