"""The suite-wide check that nothing a customer receives carries internal data.

Every HTTP client in the tests (httpx's, FastAPI's TestClient, the eval harness's) and the
in-process WebSocket test client are wrapped once per session (tests/conftest.py): a response
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

from bot.gateway.customer_view import internal_keys_in

CUSTOMER_PATHS = re.compile(r"^/(api/chat|api/conversations/[^/]+/messages|ws/chat)$")


class InternalDataLeaked(AssertionError):
    pass


def check_customer_reply(path: str, body: Any) -> None:
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

    httpx.Client.send = checked_send  # type: ignore[method-assign]
    httpx.AsyncClient.send = checked_async_send  # type: ignore[method-assign]
    WebSocketTestSession.receive = checked_receive  # type: ignore[method-assign]
    try:
        yield
    finally:
        httpx.Client.send, httpx.AsyncClient.send = sync_send, async_send  # type: ignore[method-assign]
        WebSocketTestSession.receive = ws_receive  # type: ignore[method-assign]
