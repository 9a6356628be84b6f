"""NoveltyGuard with the real Rasa 3.6.21 component pieces and the real offline e5 model.

The training and test messages below were written for this test; none comes from nlu_data/ or
the held-out file.
"""
from __future__ import annotations

from typing import Any

import pytest

from retrieval.embedders.e5_onnx import default_model_dir
from tests.rasa_plugins.nlu.rasa_side import run_in_rasa

TRAIN = ["我的快递到哪了", "物流怎么还没更新", "包裹什么时候送到", "退款什么时候到账", "钱退了没有",
         "我要退货", "这个可以退吗", "发票怎么开", "能开公司抬头的发票吗", "你好", "在吗"]
KNOWN = ["快递到哪儿了呀", "我想退货"]
NOVEL = ["帮我写一首关于春天的诗", "asdfgh qwer zxcv"]
NUMBERS = ["1234", "２０２６-110-088"]  # a phone tail, a full-width order number with separators

SCRIPT = """
import json
from pathlib import Path
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa_plugins.nlu.chinese_tokenizer import ChineseTokenizer
from rasa_plugins.nlu.e5_featurizer import E5SentenceFeaturizer
from rasa_plugins.nlu.novelty_guard import NoveltyGuard

tmp = Path({tmp!r})
(tmp / "storage").mkdir()
storage = LocalModelStorage(tmp / "storage")
context = ExecutionContext(GraphSchema({{}}), "guard")

def component(cls, name, **config):
    return cls.create({{**cls.get_default_config(), **config}}, storage, Resource(name), context)

tokenizer, e5 = component(ChineseTokenizer, "tok"), component(E5SentenceFeaturizer, "e5")
train = TrainingData([Message(data={{"text": t, "intent": "x"}}) for t in {train!r}])
tokenizer.process_training_data(train); e5.process_training_data(train)

def parse(guard, texts):
    messages = [Message(data={{"text": t, "intent": {{"name": "x", "confidence": 0.97}},
                              "intent_ranking": [{{"name": "x", "confidence": 0.97}}]}}) for t in texts]
    tokenizer.process(messages); e5.process(messages); guard.process(messages)
    return [{{"novelty": m.get("novelty"), "intent": m.get("intent"), "ranking": m.get("intent_ranking")}}
            for m in messages]

reporter = component(NoveltyGuard, "guard")
reporter.train(train)
known, novel = parse(reporter, {known!r}), parse(reporter, {novel!r})
cut = (max(r["novelty"]["similarity"] for r in novel) + min(r["novelty"]["similarity"] for r in known)) / 2
guarded = NoveltyGuard.load({{**NoveltyGuard.get_default_config(), "similarity_threshold": cut}}, storage,
                            Resource("guard"), context)
errors = []
for bad in ({{"neighbours": 0}}, {{"similarity_threshold": 1.5}}, {{"similarity_threshold": "high"}}):
    try:
        component(NoveltyGuard, "bad", **bad)
    except InvalidConfigException as error:
        errors.append(str(error))
try:
    component(NoveltyGuard, "bare").train(TrainingData([Message(data={{"text": "你好", "intent": "x"}})]))
except InvalidConfigException as error:
    errors.append(str(error))
print(json.dumps({{"known": known, "novel": novel, "cut": cut, "numbers": parse(guarded, {numbers!r}),
                  "strict_numbers": parse(NoveltyGuard.load({{**NoveltyGuard.get_default_config(), "similarity_threshold": 1.0}},
                                                             storage, Resource("guard"), context), {numbers!r}),
                  "guarded_known": parse(guarded, {known!r}),
                  "guarded_novel": parse(guarded, {novel!r}), "errors": errors}}))
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not (default_model_dir() / "model.onnx").exists():
        pytest.fail("the e5 model is not built; run ./kefu setup")
    tmp = tmp_path_factory.mktemp("guard")
    return run_in_rasa(SCRIPT.format(tmp=str(tmp), train=TRAIN, known=KNOWN, novel=NOVEL, numbers=NUMBERS))


def test_messages_like_the_training_data_are_more_similar_than_unseen_ones(result: dict[str, Any]) -> None:
    known = [r["novelty"]["similarity"] for r in result["known"]]
    novel = [r["novelty"]["similarity"] for r in result["novel"]]
    assert min(known) > max(novel), (known, novel)
    assert all(-1.0 <= s <= 1.0 for s in known + novel)


def test_without_a_threshold_it_only_reports(result: dict[str, Any]) -> None:
    for row in result["known"] + result["novel"]:
        assert row["intent"]["name"] == "x" and row["novelty"]["novel"] is False
        assert row["novelty"]["threshold"] is None


def test_below_the_threshold_the_message_goes_to_nlu_fallback(result: dict[str, Any]) -> None:
    for row in result["guarded_novel"]:
        assert row["intent"]["name"] == "nlu_fallback" and row["novelty"]["novel"] is True
        assert [r["name"] for r in row["ranking"]] == ["nlu_fallback", "x"]  # the classifier's ranking is kept
    for row in result["guarded_known"]:
        assert row["intent"]["name"] == "x" and row["novelty"]["novel"] is False
    # the loaded model judges exactly as the trained one measured
    assert [r["novelty"]["similarity"] for r in result["guarded_known"]] == \
        [r["novelty"]["similarity"] for r in result["known"]]


def test_bad_settings_and_missing_features_say_what_to_change(result: dict[str, Any]) -> None:
    errors = result["errors"]
    assert len(errors) == 4
    assert "neighbours" in errors[0] and "similarity_threshold" in errors[1] and "eval.nlu.calibrate" in errors[2]
    assert "E5SentenceFeaturizer" in errors[3]


def test_a_message_of_digits_only_is_never_judged(result: dict[str, Any]) -> None:
    # e5 says little about a bare number; the form that asked for it validates the value
    for row in result["numbers"] + result["strict_numbers"]:
        assert row["novelty"]["similarity"] is None and row["novelty"]["novel"] is False
        assert row["intent"]["name"] == "x"
