"""`kefu bench desk`: how fast and how right the agent's suggested answers are.

Each question of the grounding QA set (eval/data/grounding_qa.jsonl) is sent as a customer message
in human mode to an in-process gateway (the real app, the real knowledge index, SQLite in a
temporary folder; Rasa is not involved in human mode) while an agent's console WebSocket listens;
the time is from sending the message to the console holding the `suggestions` event, and a hit is
the question's item (or one it accepts) among the suggestions. Side by side, in the same run: the
suggester alone (hybrid BM25 + e5), and rank-bm25 (BM25Okapi over the same items, jieba words),
which a team would otherwise reach for.
"""
from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import load_config
from bot.environments import CODE_ROOT
from eval.bench.machine import describe, load_average
from eval.bench.stats import summary

GROUNDING_QA = CODE_ROOT / "eval" / "data" / "grounding_qa.jsonl"
PASSWORD = "suggestions timed here"


def grounding_items() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GROUNDING_QA.read_text(encoding="utf-8").splitlines() if line.strip()]


def accepted(item: dict[str, Any]) -> set[str]:
    return {item["doc_id"], *item.get("also_acceptable", [])}


def _through_the_gateway(items: list[dict[str, Any]], rounds: int, say: Callable[[str], None]) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from bot.gateway.agents import create_agent
    from bot.gateway.app import create_app

    folder = Path(tempfile.mkdtemp(prefix="kefu-bench-desk-"))
    os.environ["KEFU_GATEWAY_DB"] = str(folder / "gateway.db")
    config = load_config(CODE_ROOT / "kefu.yml")
    config = dataclasses.replace(config, paths=dataclasses.replace(config.paths, var=str(folder)),
                                 gateway=dataclasses.replace(config.gateway, seed_demo_agents=False))
    app = create_app(config)
    services = app.state.services
    agent = create_agent(services.store, "timer", PASSWORD, "agent", ",".join(config.desk.groups), "基准",
                         max_concurrency=len(items))  # one agent serves every question's conversation
    seconds: list[float] = []
    hits = 0
    with TestClient(app) as client:
        if not services.suggester.warm_up():
            raise RuntimeError(f"no knowledge index: {services.suggester.problem} (run `kefu index`)")
        services.router.risk.warm_up()
        token = client.post("/api/console/login", json={"username": "timer", "password": PASSWORD}).json()["token"]
        client.cookies.clear()
        agent = services.store.agent(agent.id) or agent
        conversations = []
        for number in range(len(items)):
            conversation, _ = services.store.open_conversation(f"bench-desk-{number}")
            services.queue.enqueue(conversation.id, "bot", {"reason": "customer_request", "summary": "bench"})
            services.queue.claim(agent, conversation.id)
            conversations.append(conversation)
        with client.websocket_connect("/ws/console", headers={"Authorization": f"Bearer {token}"}) as socket:
            socket.receive_json()  # hello
            for round_number in range(rounds):
                for item, conversation in zip(items, conversations):
                    started = time.perf_counter()
                    client.post("/api/chat", json={"sender": conversation.sender, "message": item["question"],
                                                   "token": conversation.token})
                    event = socket.receive_json()
                    while event.get("type") != "suggestions" or event.get("conversation") != conversation.id:
                        event = socket.receive_json()
                    seconds.append(time.perf_counter() - started)
                    if round_number == 0:
                        hits += any(s["doc_id"] in accepted(item) for s in event["items"])
                say(f"gateway round {round_number + 1}/{rounds}: {len(seconds)} messages timed")
    return {"latency": summary(seconds), "top3_hits": hits, "questions": len(items)}


def _suggester_alone(items: list[dict[str, Any]], rounds: int) -> dict[str, Any]:
    from bot.gateway.suggestions import Suggester

    suggester = Suggester(load_config(CODE_ROOT / "kefu.yml"))
    suggester.warm_up()
    seconds, hits = [], 0
    for round_number in range(rounds):
        for item in items:
            started = time.perf_counter()
            found = suggester.suggest(item["question"])
            seconds.append(time.perf_counter() - started)
            hits += round_number == 0 and any(s.doc_id in accepted(item) for s in found)
    return {"latency": summary(seconds), "top3_hits": hits, "questions": len(items)}


def _rank_bm25(items: list[dict[str, Any]], rounds: int) -> dict[str, Any]:
    from rank_bm25 import BM25Okapi

    from retrieval.ingest.loader import load_knowledge
    from retrieval.tokenize import JiebaTokenizer

    tokenizer = JiebaTokenizer()
    chunks = load_knowledge(CODE_ROOT / "knowledge").chunks
    bm25 = BM25Okapi([tokenizer.words(" ".join(chunk.views)) or ["_"] for chunk in chunks])
    seconds, hits = [], 0
    for round_number in range(rounds):
        for item in items:
            started = time.perf_counter()
            scores = bm25.get_scores(tokenizer.words(item["question"]))
            found: list[str] = []
            for index in sorted(range(len(chunks)), key=lambda i: -scores[i]):
                if chunks[index].doc_id not in found:
                    found.append(chunks[index].doc_id)
                if len(found) == 3:
                    break
            seconds.append(time.perf_counter() - started)
            hits += round_number == 0 and bool(set(found) & accepted(item))
    return {"latency": summary(seconds), "top3_hits": hits, "questions": len(items)}


def run_desk(rounds: int, say: Callable[[str], None], argv: list[str]) -> dict[str, Any]:
    items = grounding_items()
    machine = describe()
    say(f"{len(items)} grounding questions x {rounds} rounds through the gateway")
    result = {"command": "kefu bench " + " ".join(argv), "machine": machine,
              "gateway": _through_the_gateway(items, rounds, say),
              "suggester": _suggester_alone(items, rounds), "rank_bm25": _rank_bm25(items, rounds)}
    machine["load_end"] = load_average()
    return result
