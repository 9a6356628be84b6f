import json

import httpx

from retrieval.documents import Chunk, Hit
from retrieval.generators.base import create_generator
from retrieval.generators.openai_compat import SYSTEM_PROMPT


def _hits() -> list[Hit]:
    return [Hit(Chunk(f"c{i}", "d", "v", "s", f"标题{i}", "t", ["t"], answer=f"答案{i}。"), 1.0) for i in (1, 2)]


def test_request_carries_prompt_and_settings_and_citations_are_parsed(monkeypatch):
    seen: dict = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(url=str(request.url), auth=request.headers.get("authorization"), body=json.loads(request.content))
        return httpx.Response(200, json={"choices": [{"message": {"content": "答案2。[2]"}}]})

    monkeypatch.setenv("KEFU_LLM_API_KEY", "sk-test")
    generator = create_generator({"type": "openai", "base_url": "http://llm.local/v1", "model": "m",
                                  "temperature": 0.3, "max_tokens": 99})
    generator.warm_up()
    generator._client = httpx.Client(base_url="http://llm.local/v1", transport=httpx.MockTransport(handler),
                                     headers=generator._client.headers)
    result = generator.run("问题？", _hits())
    assert (result.text, result.used_chunk_ids) == ("答案2。", ["c2"])
    assert seen["url"] == "http://llm.local/v1/chat/completions" and seen["auth"] == "Bearer sk-test"
    body = seen["body"]
    assert (body["model"], body["temperature"], body["max_tokens"]) == ("m", 0.3, 99)
    assert body["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert body["messages"][1]["content"] == "【资料】\n[1] 标题1：答案1。\n[2] 标题2：答案2。\n\n【顾客问题】问题？"
    assert "专业客服" in SYSTEM_PROMPT and "只使用【资料】" in SYSTEM_PROMPT


def test_missing_server_settings_fail_with_what_to_set(monkeypatch):
    monkeypatch.delenv("KEFU_LLM_BASE_URL", raising=False)
    generator = create_generator({"type": "openai"})
    try:
        generator.warm_up()
    except ValueError as error:
        assert "KEFU_LLM_BASE_URL" in str(error)
    else:
        raise AssertionError("warm_up should fail without a base URL")
