"""FineTunedIntentClassifier with the real Rasa 3.6.21 components, the real offline e5 model and a
real fine-tuning run in Kefu's 3.11 environment (about a minute on the 2-core box).

The messages are the ones written for test_linear_intent_classifier.py; none comes from
nlu_data/ or the held-out file.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from retrieval.embedders.e5_onnx import default_model_dir
from tests.rasa_plugins.nlu.rasa_side import run_in_rasa
from tests.rasa_plugins.nlu.test_linear_intent_classifier import TRAIN, UNSEEN

BLEND = 0.7

SCRIPT = """
import json, os
from pathlib import Path
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa_plugins.nlu.chinese_tokenizer import ChineseTokenizer
from rasa_plugins.nlu.char_ngram_featurizer import CharNgramFeaturizer
from rasa_plugins.nlu.e5_featurizer import E5SentenceFeaturizer
from rasa_plugins.nlu.linear_intent_classifier import LinearIntentClassifier
from rasa_plugins.nlu.finetuned_intent_classifier import FineTunedIntentClassifier, FineTuneFailed, run_trainer

tmp = Path({tmp!r})
(tmp / "storage").mkdir()
storage = LocalModelStorage(tmp / "storage")
context = ExecutionContext(GraphSchema({{}}), "finetuned")

def component(cls, name, **config):
    return cls.create({{**cls.get_default_config(), **config}}, storage, Resource(name), context)

tokenizer = component(ChineseTokenizer, "tok")
chars = component(CharNgramFeaturizer, "chars")
e5 = component(E5SentenceFeaturizer, "e5")
train = TrainingData([Message(data={{"text": t, "intent": i}}) for i, ts in {train!r}.items() for t in ts])
tokenizer.process_training_data(train); chars.train(train); chars.process_training_data(train)
e5.process_training_data(train)
linear = component(LinearIntentClassifier, "linear", ranking_length=0, c_values=[16.0], dense_weights=[3.0])
linear.train(train)
tuned = component(FineTunedIntentClassifier, "tuned", blend_weight={blend}, epochs=3)
tuned.train(train)

texts = list({unseen!r}.values())
def parse(*classifiers):
    messages = [Message(data={{"text": t}}) for t in texts]
    tokenizer.process(messages); chars.process(messages); e5.process(messages)
    for classifier in classifiers:
        classifier.process(messages)
    return [{{"intent": m.get("intent"), "ranking": m.get("intent_ranking")}} for m in messages]

loaded = FineTunedIntentClassifier.load({{**FineTunedIntentClassifier.get_default_config(), "blend_weight": {blend}}},
                                        storage, Resource("tuned"), context)
facts = json.loads(next((tmp / "storage").glob("tuned*/facts.json")).read_text())
alone = component(FineTunedIntentClassifier, "never-trained")

errors = []
for bad in ({{"blend_weight": 1.5}}, {{"epochs": 0}}, {{"max_length": 4}}):
    try:
        component(FineTunedIntentClassifier, "bad", **bad)
        errors.append(None)
    except InvalidConfigException as error:
        errors.append(str(error))

(tmp / "one.json").write_text(json.dumps({{"texts": ["你好", "在吗"], "labels": ["greet", "greet"]}}))
try:
    run_trainer(tmp / "one.json", tmp / "one", {{"epochs": 1}})
    failed = None
except FineTuneFailed as error:
    failed = str(error)
del os.environ["KEFU_PY311"]
try:
    run_trainer(tmp / "one.json", tmp / "one", {{"epochs": 1}})
    no_env = None
except InvalidConfigException as error:
    no_env = str(error)

print(json.dumps({{"linear": parse(linear), "blended": parse(linear, tuned), "loaded": parse(linear, loaded),
                   "own": tuned.probabilities(texts).tolist(), "labels": tuned._labels,
                   "untrained": parse(linear, alone), "facts": facts, "errors": errors, "failed": failed,
                   "no_env": no_env}}))
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not (default_model_dir() / "model.onnx").is_file():
        pytest.fail(f"the e5 model is not built in {default_model_dir()}: run ./kefu setup")
    if not os.environ.get("KEFU_PY311"):
        pytest.fail("KEFU_PY311 is not set: run the tests through ./kefu test")
    tmp: Path = tmp_path_factory.mktemp("finetuned")
    return run_in_rasa(SCRIPT.format(tmp=str(tmp), train=TRAIN, unseen=UNSEEN, blend=BLEND), timeout=900)


def test_unseen_messages_get_their_intent(result: dict[str, Any]) -> None:
    predicted = [item["intent"]["name"] for item in result["blended"]]
    assert predicted == list(UNSEEN), predicted


def test_ranking_is_the_stated_blend_of_both_models(result: dict[str, Any]) -> None:
    labels = result["labels"]
    for linear, blended, own in zip(result["linear"], result["blended"], result["own"]):
        prior = {entry["name"]: entry["confidence"] for entry in linear["ranking"]}
        assert sorted(prior) == sorted(labels)  # ranking_length 0: every intent reached the blend
        expected = {label: BLEND * p + (1 - BLEND) * prior[label] for label, p in zip(labels, own)}
        confidences = [entry["confidence"] for entry in blended["ranking"]]
        assert confidences == sorted(confidences, reverse=True)
        assert sum(confidences) == pytest.approx(1.0, abs=1e-4)
        for entry in blended["ranking"]:
            assert entry["confidence"] == pytest.approx(expected[entry["name"]], abs=1e-6)
        assert blended["intent"] == blended["ranking"][0]


def test_the_stored_model_predicts_what_the_trained_one_did(result: dict[str, Any]) -> None:
    for trained, loaded in zip(result["blended"], result["loaded"]):
        assert loaded["intent"]["name"] == trained["intent"]["name"]
        assert loaded["intent"]["confidence"] == pytest.approx(trained["intent"]["confidence"], abs=1e-5)


def test_the_int8_model_agrees_with_fp32_and_the_facts_are_kept(result: dict[str, Any]) -> None:
    facts = result["facts"]
    assert facts["examples"] == sum(len(texts) for texts in TRAIN.values()) and facts["intents"] == len(TRAIN)
    assert facts["settings"]["epochs"] == 3
    assert facts["int8_fp32_top1_agreement"] >= 0.9


def test_an_untrained_component_leaves_the_earlier_ranking(result: dict[str, Any]) -> None:
    assert result["untrained"] == result["linear"]


def test_bad_settings_say_what_to_change(result: dict[str, Any]) -> None:
    blend, epochs, length = result["errors"]
    assert blend is not None and "blend_weight must be within 0..1" in blend
    assert epochs is not None and "epochs must be >= 1" in epochs
    assert length is not None and "max_length must be within 8..512" in length


def test_a_failed_fine_tuning_shows_its_reason(result: dict[str, Any]) -> None:
    assert result["failed"] is not None and "at least two intents" in result["failed"]


def test_without_the_311_environment_the_error_says_how_to_get_it(result: dict[str, Any]) -> None:
    assert result["no_env"] is not None and "KEFU_PY311" in result["no_env"] and "./kefu" in result["no_env"]
