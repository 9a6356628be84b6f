"""A stand-in for Rasa's REST channel and HTTP API, served over real HTTP on a free port.

Used only by the gateway's own tests, where the real Rasa stack is not part of the test (the
full-stack tests in tests/stack use the real one). It follows Rasa's behaviour the gateway relies
on: a `handoff` custom payload plus a paused tracker on 转人工, no reply while paused (and for
"不知所云", like a policy that predicts nothing), `resume`
and `pause` events, `trigger_intent` answering with `messages`.
"""
from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn
from fastapi import FastAPI

from bot.ports import free_port

GREETING = "您好，我是好物优选的客服小优，有什么可以帮您？"
CSAT_QUESTION = "请为本次服务打分（1-5）"


def guest(body: dict[str, Any]) -> str:
    """The id the bot knows a guest by, from the gateway's reply (Conversation.bot_sender)."""
    return f"guest-{body['conversation']}"


def standin_app(trackers: dict[str, dict[str, Any]]) -> FastAPI:
    app = FastAPI()

    def tracker(sender: str) -> dict[str, Any]:
        return trackers.setdefault(sender, {"sender_id": sender, "paused": False, "events": [],
                                            "slots": {"order_number": None}})

    @app.get("/")
    async def root() -> str:
        return "Hello from Rasa: 3.6.21"

    @app.post("/webhooks/rest/webhook")
    async def webhook(body: dict[str, Any]) -> list[dict[str, Any]]:
        sender, text = body["sender"], body["message"]
        state = tracker(sender)
        if state["paused"]:
            return []
        intent = "request_human" if "转人工" in text else "ask_return_policy" if "退货" in text else "greet"
        state["events"].append({"event": "user", "text": text, "parse_data": {
            "intent": {"name": intent, "confidence": 0.93}, "entities": []}})
        if "订单" in text:
            state["slots"]["order_number"] = "A1001"
        if "改地址" in text:  # a form that asks for a value next
            state["active_loop"], state["slots"]["requested_slot"] = {"name": "address_change_form"}, "new_address"
            return [{"recipient_id": sender, "text": "请告诉我新的收货地址。"}]
        if state.get("active_loop"):  # the value arrives; the form ends
            state["active_loop"], state["slots"]["requested_slot"] = {}, None
            return [{"recipient_id": sender, "text": "地址已修改。"}]
        if "不知所云" in text:  # a policy that predicted no response, as Rasa's core fallback did
            return []
        if "只有引用" in text:  # an action that sent data but no words
            return [{"recipient_id": sender, "custom": {"citations": []}}]
        if "请记录我的问题" in text:  # the complaint form's end: words with a promise, and the ticket that keeps it
            return [{"recipient_id": sender, "text": "已为您登记投诉，单号C000042。专人会在24小时内跟进处理。"},
                    {"recipient_id": sender, "custom": {"ticket": {
                        "title": "投诉：发错货", "problem_class": "投诉类", "priority": "normal",
                        "detail": "发错货了", "due_hours": 24, "reference": "C000042"}}}]
        if "不投诉了" in text:  # the customer takes the complaint back: the action withdraws its ticket
            return [{"recipient_id": sender, "text": "好的，已为您撤回投诉C000042。"},
                    {"recipient_id": sender, "custom": {"ticket": {
                        "title": "客户撤回投诉C000042", "problem_class": "投诉类", "reference": "C000042",
                        "withdrawn": True}}}]
        if intent == "request_human":
            state["events"].append({"event": "action", "name": "action_handoff"})
            state["paused"] = True
            vip = "VIP" in text
            problem = "投诉类" if vip else "故障类" if "坏了" in text else "咨询类"  # → 投诉 / 售后 / 咨询 groups
            return [{"recipient_id": sender, "text": "好的，正在为您转接人工客服，请稍候。"},
                    {"recipient_id": sender, "custom": {"handoff": {
                        "reason": "customer_request", "priority": "high" if vip else "normal",
                        "problem_class": problem, "summary": f"客户原话：「{text}」"}}}]
        if intent == "ask_return_policy":
            return [{"recipient_id": sender, "text": "支持七天无理由退货。"},
                    {"recipient_id": sender, "custom": {"citations": [
                        {"title": "退换货政策", "source": "policies/returns.md", "link": "/kb/returns"}]}}]
        return [{"recipient_id": sender, "text": GREETING}]

    @app.get("/conversations/{sender}/tracker")
    async def get_tracker(sender: str) -> dict[str, Any]:
        return tracker(sender)

    @app.post("/conversations/{sender}/tracker/events")
    async def append(sender: str, body: dict[str, Any] | list[dict[str, Any]]) -> dict[str, Any]:
        state = tracker(sender)
        for event in body if isinstance(body, list) else [body]:  # Rasa takes one event or a list
            state["paused"] = {"pause": True, "resume": False}.get(event["event"], state["paused"])
            state["events"].append(event)
        return state

    @app.post("/conversations/{sender}/trigger_intent")
    async def trigger(sender: str, body: dict[str, Any]) -> dict[str, Any]:
        messages = [{"recipient_id": sender, "text": CSAT_QUESTION}] if body["name"] == "EXTERNAL_csat_request" else []
        if body["name"] == "request_human":  # the gateway's explicit-request handoff: action_handoff runs
            tracker(sender)["paused"] = True
            messages = [{"recipient_id": sender, "text": "好的，正在为您转接人工客服，请稍候。"},
                        {"recipient_id": sender, "custom": {"handoff": {
                            "reason": "customer_request", "priority": "normal", "problem_class": "咨询类",
                            "summary": "客户要求人工"}}}]
        tracker(sender)["events"].append({"event": "user", "text": f"/{body['name']}"})
        return {"tracker": tracker(sender), "messages": messages}

    return app


class RasaStandin:
    """Serve the stand-in in a thread; `trackers` shows what the gateway told 'Rasa'."""

    def __init__(self) -> None:
        self.port = free_port()
        self.trackers: dict[str, dict[str, Any]] = {}
        config = uvicorn.Config(standin_app(self.trackers), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> RasaStandin:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the Rasa stand-in did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
