"""Measure the gateway's own overhead per customer message (p50/p95), not the bot's thinking time.

A minimal instant responder stands where Rasa's REST channel would be; the script times
`POST /api/chat` through the gateway (served by uvicorn, storing to a fresh SQLite file) and the
same request straight to the responder, and reports the difference.

    python -m eval.bench.gateway_overhead --messages 400
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from bot.config import GatewaySettings, KefuConfig, Paths, Ports
from bot.gateway.app import create_app
from bot.ports import free_port


def _instant_rasa() -> FastAPI:
    app = FastAPI()

    @app.post("/webhooks/rest/webhook")
    async def reply(body: dict[str, Any]) -> list[dict[str, str]]:
        return [{"recipient_id": body["sender"], "text": "您好，请问有什么可以帮您？"}]

    return app


def _serve(app: FastAPI, port: int) -> uvicorn.Server:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return server


def _time_posts(url: str, messages: int, senders: int, tokens: dict[str, str]) -> list[float]:
    """Time one POST per message; a sender continues its conversation with the token it was given."""
    timings = []
    with httpx.Client(timeout=30) as http:
        for index in range(messages):
            sender = f"bench-{index % senders}"
            body = {"sender": sender, "message": "我的订单到哪了", "token": tokens.get(sender)}
            started = time.perf_counter()
            response = http.post(url, json=body)
            timings.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            reply = response.json()
            if isinstance(reply, dict) and reply.get("token"):
                tokens[sender] = reply["token"]
    return timings


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="kefu bench gateway", description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--senders", type=int, default=20)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="kefu-bench-"))
    rasa_port, gateway_port = free_port(), free_port()
    config = KefuConfig(root=folder, ports=Ports(gateway=gateway_port, rasa=rasa_port, actions=free_port()),
                        paths=Paths(var=str(folder)),
                        gateway=GatewaySettings(rate_limit_per_minute=1_000_000, seed_demo_agents=False))
    servers = [_serve(_instant_rasa(), rasa_port), _serve(create_app(config), gateway_port)]
    direct_url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
    gateway_url = f"http://127.0.0.1:{gateway_port}/api/chat"
    tokens: dict[str, str] = {}
    _time_posts(gateway_url, 2 * args.senders, args.senders, tokens)  # warm-up: connections, conversations
    direct = _time_posts(direct_url, args.messages, args.senders, {})
    through = _time_posts(gateway_url, args.messages, args.senders, tokens)
    for server in servers:
        server.should_exit = True
    print(f"{args.messages} messages, {args.senders} senders, SQLite at {folder / 'gateway.db'}")
    for name, values in (("direct to responder", direct), ("through the gateway", through)):
        print(f"  {name:20s} p50 {statistics.median(values):6.2f} ms   p95 {_percentile(values, 0.95):6.2f} ms")
    print(f"  gateway overhead     p50 {statistics.median(through) - statistics.median(direct):6.2f} ms   "
          f"p95 {_percentile(through, 0.95) - _percentile(direct, 0.95):6.2f} ms")


if __name__ == "__main__":
    main()
