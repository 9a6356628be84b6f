"""LinearIntentClassifier with the real Rasa 3.6.21 components and the real offline e5 model.

The training messages and the unseen test messages below were written for this test; none comes
from nlu_data/ or the held-out file.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from retrieval.embedders.e5_onnx import default_model_dir
from tests.rasa_plugins.nlu.rasa_side import run_in_rasa

TRAIN = {
    "ask_invoice": ["能开发票吗", "发票怎么开", "我要开增值税专票", "电子发票在哪下载", "发票抬头写错了能改吗",
                    "可以开公司抬头的发票吗", "发票什么时候发给我", "开票需要提供税号吗"],
    "ask_refund": ["退款什么时候到账", "钱退了没有", "退款进度查一下", "我的退款怎么还没到",
                   "退款到哪个账户了", "退款被拒了为什么", "申请退款多久能处理", "退的钱在哪看"],
    "greet": ["你好", "在吗", "hello", "嗨 客服", "有人吗", "您好 请问", "早上好", "哈喽"],
    "thanks": ["谢谢", "多谢了", "感谢帮忙", "thx", "谢谢你啊", "辛苦了 谢谢", "好的 感谢", "太感谢了"],
}
UNSEEN = {"ask_invoice": "这单的发票能补开吗", "ask_refund": "我那笔退款到账了没", "greet": "你好呀 在不在",
          "thanks": "非常感谢你的帮助"}

SCRIPT = """
import json
from pathlib import Path
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa_plugins.nlu.chinese_tokenizer import ChineseTokenizer
from rasa_plugins.nlu.e5_featurizer import E5SentenceFeaturizer
from rasa_plugins.nlu.linear_intent_classifier import LinearIntentClassifier

tmp = Path({tmp!r})
(tmp / "storage").mkdir()
storage = LocalModelStorage(tmp / "storage")
context = ExecutionContext(GraphSchema({{}}), "linear")

def component(cls, name, **config):
    return cls.create({{**cls.get_default_config(), **config}}, storage, Resource(name), context)

tokenizer = component(ChineseTokenizer, "tok")
chars = component(CountVectorsFeaturizer, "cv", analyzer="char_wb", min_ngram=1, max_ngram=3)
e5 = component(E5SentenceFeaturizer, "e5")

def featurize(messages):
    tokenizer.process(messages); chars.process(messages); e5.process(messages)
    return messages

train = TrainingData([Message(data={{"text": t, "intent": i}}) for i, ts in {train!r}.items() for t in ts])
tokenizer.process_training_data(train); chars.train(train); chars.process_training_data(train)
e5.process_training_data(train)

def trained(name, data, **config):
    classifier = component(LinearIntentClassifier, name, **config)
    classifier.train(data)
    return classifier

def parse(classifier, texts):
    messages = classifier.process(featurize([Message(data={{"text": t}}) for t in texts]))
    return [{{"intent": m.get("intent"), "ranking": m.get("intent_ranking")}} for m in messages]

unseen = {unseen!r}
classifier = trained("clf", train)
first = parse(classifier, list(unseen.values()))
loaded = LinearIntentClassifier.load({{**LinearIntentClassifier.get_default_config()}}, storage,
                                     Resource("clf"), context)
again = parse(loaded, list(unseen.values()))

two = TrainingData([m for m in train.training_examples if m.get("intent") in ("greet", "thanks")])
binary = parse(trained("bin", two, c_values=[4.0], dense_weights=[2.0]), ["你好呀 在不在", "非常感谢你的帮助"])
svm = trained("svm", train, loss="hinge")
hinge = parse(svm, list(unseen.values()))
hinge_binary = parse(trained("svm2", two, loss="hinge", c_values=[0.3], dense_weights=[2.0]),
                     ["你好呀 在不在", "非常感谢你的帮助"])
auto = trained("auto", train, loss="hinge", class_weight="auto", dense_weights=[2.0])
balanced = trained("balanced", train, loss="hinge", class_weight="balanced", c_values=[0.3], dense_weights=[2.0])
class_weights = {{"default": str(svm.weights["class_weight"]), "auto": str(auto.weights["class_weight"]),
                  "balanced": str(balanced.weights["class_weight"]),
                  "auto_parse": [m["intent"]["name"] for m in parse(auto, list(unseen.values()))]}}

errors = []
for bad in ({{"c_values": []}}, {{"dense_weights": [0]}}, {{"selection_folds": 1}}, {{"class_weight": "heavy"}},
            {{"loss": "squared"}}):
    try:
        component(LinearIntentClassifier, "bad", **bad)
        errors.append(None)
    except InvalidConfigException as error:
        errors.append(str(error))

narrow = Message(data={{"text": "你好"}})
narrow.add_features(__import__("rasa.shared.nlu.training_data.features", fromlist=["Features"]).Features(
    np.ones((1, 7)), "sentence", "text", "test"))
try:
    classifier.process([narrow])
    mismatch = None
except ValueError as error:
    mismatch = str(error)

print(json.dumps({{"first": first, "again": again, "binary": binary, "errors": errors, "mismatch": mismatch,
                   "chosen": [float(classifier.weights["c_value"]), float(classifier.weights["dense_weight"])],
                   "grid": [LinearIntentClassifier.get_default_config()["dense_weights"]],
                   "c_grids": __import__("rasa_plugins.nlu.linear_intent_classifier", fromlist=["x"]).DEFAULT_C_VALUES,
                   "hinge": hinge, "hinge_binary": hinge_binary,
                   "hinge_chosen": [float(svm.weights["c_value"]), float(svm.weights["temperature"])],
                   "logistic_temperature": float(classifier.weights["temperature"]),
                   "class_weights": class_weights}}))
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not (default_model_dir() / "model.onnx").is_file():
        pytest.fail(f"the e5 model is not built in {default_model_dir()}: run ./kefu setup")
    tmp: Path = tmp_path_factory.mktemp("linear")
    return run_in_rasa(SCRIPT.format(tmp=str(tmp), train=TRAIN, unseen=UNSEEN))


def test_unseen_messages_get_their_intent(result: dict[str, Any]) -> None:
    predicted = [item["intent"]["name"] for item in result["first"]]
    assert predicted == list(UNSEEN), predicted


def test_ranking_is_a_sorted_probability_distribution(result: dict[str, Any]) -> None:
    for item in result["first"]:
        confidences = [entry["confidence"] for entry in item["ranking"]]
        assert confidences == sorted(confidences, reverse=True)
        assert sum(confidences) == pytest.approx(1.0, abs=1e-4)  # 4 intents, all ranked
        assert item["intent"] == item["ranking"][0]


def test_settings_are_chosen_from_the_configured_grid(result: dict[str, Any]) -> None:
    c_value, dense_weight = result["chosen"]
    assert c_value in result["c_grids"]["logistic"] and dense_weight in result["grid"][0]
    assert result["logistic_temperature"] == 1.0


def test_the_linear_svm_classifies_unseen_messages_with_tempered_confidences(result: dict[str, Any]) -> None:
    assert [item["intent"]["name"] for item in result["hinge"]] == list(UNSEEN)
    c_value, temperature = result["hinge_chosen"]
    assert c_value in result["c_grids"]["hinge"] and 0.001 <= temperature <= 100.0
    for item in result["hinge"] + result["hinge_binary"]:
        confidences = [entry["confidence"] for entry in item["ranking"]]
        assert confidences == sorted(confidences, reverse=True)
        assert sum(confidences) == pytest.approx(1.0, abs=1e-4)
    assert [item["intent"]["name"] for item in result["hinge_binary"]] == ["greet", "thanks"]


def test_a_loaded_model_predicts_exactly_as_the_trained_one(result: dict[str, Any]) -> None:
    for before, after in zip(result["first"], result["again"]):
        assert before["intent"]["name"] == after["intent"]["name"]
        assert before["intent"]["confidence"] == pytest.approx(after["intent"]["confidence"], abs=1e-6)


def test_two_intents_give_two_ranked_probabilities(result: dict[str, Any]) -> None:
    assert [item["intent"]["name"] for item in result["binary"]] == ["greet", "thanks"]
    for item in result["binary"]:
        assert len(item["ranking"]) == 2
        assert item["intent"]["confidence"] > 0.5
        assert sum(entry["confidence"] for entry in item["ranking"]) == pytest.approx(1.0, abs=1e-4)


def test_bad_settings_are_refused_with_a_message_that_names_them(result: dict[str, Any]) -> None:
    errors = result["errors"]
    assert all(errors), errors
    for error, key in zip(errors, ("c_values", "dense_weights", "selection_folds", "class_weight", "loss")):
        assert key in error


def test_features_of_the_wrong_width_ask_for_retraining(result: dict[str, Any]) -> None:
    assert result["mismatch"] is not None and "retrain" in result["mismatch"]


def test_class_weights_are_configured_or_chosen_by_the_selection(result: dict[str, Any]) -> None:
    chosen = result["class_weights"]
    assert chosen["default"] == "None" and chosen["balanced"] == "balanced"
    assert chosen["auto"] in ("None", "balanced")  # `auto` tries both and keeps the better macro-F1
    assert chosen["auto_parse"] == list(UNSEEN)
