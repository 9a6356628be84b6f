"""Any OpenAI-compatible chat server (vLLM, Ollama, llama.cpp server, OpenAI) over HTTP.

Base URL, model and key come from config, or from KEFU_LLM_BASE_URL / KEFU_LLM_MODEL /
KEFU_LLM_API_KEY. The prompt follows the service playbook: role, task, constraints, format.
"""
from __future__ import annotations

import os
import re
from typing import Any

import httpx

from retrieval.documents import Hit
from retrieval.generators.base import Generation

# The role line is neutral on purpose: a bot's name and shop go in its configuration
# (`retrieval: generator: {type: openai, system_prompt: ...}`), see docs/configuration.md.
SYSTEM_PROMPT = """角色：你是在线商店的专业客服。
任务：根据【资料】回答顾客的问题。
约束：
1. 只使用【资料】中的信息，不要添加资料里没有的政策、价格、日期或承诺；资料不足时回答“这个问题我需要为您转接人工客服”。
2. 回答简短（不超过三句话），礼貌，使用顾客提问所用的语言。
3. 不使用“可能、也许、大概”等不确定的说法。
输出格式：直接给出答案正文，并在句末用 [编号] 标注所依据的资料，例如 [1]。"""

STRICT_NOTE = "上一次回答未通过审核（含有资料不支持的内容）。请只复述资料原句回答。"
_CITATION = re.compile(r"\[(\d+)\]")


def build_messages(question: str, hits: list[Hit], strict: bool,
                   system_prompt: str = SYSTEM_PROMPT) -> list[dict[str, str]]:
    passages = "\n".join(f"[{i}] {hit.chunk.title}：{hit.chunk.answer_text}" for i, hit in enumerate(hits, 1))
    user = f"【资料】\n{passages}\n\n【顾客问题】{question}"
    system = f"{system_prompt}\n{STRICT_NOTE}" if strict else system_prompt
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


class OpenAICompatibleGenerator:
    def __init__(self, base_url: str | None = None, model: str | None = None, api_key_env: str = "KEFU_LLM_API_KEY",
                 temperature: float = 0.2, max_tokens: int = 256, timeout_seconds: float = 20.0,
                 system_prompt: str = SYSTEM_PROMPT) -> None:
        self.system_prompt = system_prompt
        self.base_url = base_url
        self.model = model
        self.api_key_env = api_key_env
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.timeout_seconds = timeout_seconds
        self._client: httpx.Client | None = None

    def warm_up(self) -> None:
        if self._client is not None:
            return
        base_url = self.base_url or os.environ.get("KEFU_LLM_BASE_URL")
        if not base_url or not (self.model or os.environ.get("KEFU_LLM_MODEL")):
            raise ValueError("openai generator needs generator.base_url and generator.model "
                             "(or env KEFU_LLM_BASE_URL and KEFU_LLM_MODEL)")
        key = os.environ.get(self.api_key_env, "")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=self.timeout_seconds)

    def run(self, question: str, hits: list[Hit], strict: bool = False) -> Generation:
        self.warm_up()
        assert self._client is not None
        response = self._client.post("/chat/completions", json={
            "model": self.model or os.environ.get("KEFU_LLM_MODEL"),
            "messages": build_messages(question, hits, strict, self.system_prompt),
            "temperature": 0.0 if strict else self.temperature,
            "max_tokens": self.max_tokens,
        })
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"].strip()
        cited = sorted({int(n) for n in _CITATION.findall(content) if 1 <= int(n) <= len(hits)})
        used = [hits[n - 1].chunk.chunk_id for n in cited] or [hit.chunk.chunk_id for hit in hits]
        return Generation(_CITATION.sub("", content).strip(), used)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "openai", "base_url": self.base_url, "model": self.model, "api_key_env": self.api_key_env,
                "temperature": self.temperature, "max_tokens": self.max_tokens,
                "timeout_seconds": self.timeout_seconds, "system_prompt": self.system_prompt}
