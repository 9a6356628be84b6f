"""CharNgramFeaturizer with the real Rasa 3.6.21 component graph pieces and Kefu's Chinese tokenizer.

The messages below were written for this test.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.rasa_plugins.nlu.rasa_side import run_in_rasa

TRAIN = ["查一下订单", "帮我查一下物流", "订单到哪了", "查一下退款", "退款到账了吗", "Where is my ORDER"]

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
from rasa_plugins.nlu.char_ngram_featurizer import CharNgramFeaturizer

tmp = Path({tmp!r})
(tmp / "storage").mkdir()
storage = LocalModelStorage(tmp / "storage")
context = ExecutionContext(GraphSchema({{}}), "chars")
tokenizer = ChineseTokenizer.create(ChineseTokenizer.get_default_config(), storage, Resource("tok"), context)

def create(name, **config):
    return CharNgramFeaturizer.create({{**CharNgramFeaturizer.get_default_config(), **config}}, storage,
                                      Resource(name), context)

train = TrainingData([Message(data={{"text": t, "intent": "x"}}) for t in {train!r}])
tokenizer.process_training_data(train)
featurizer = create("chars", min_df=1)
featurizer.train(train)
featurizer.process_training_data(train)

def features(component, text):
    message = Message(data={{"text": text}})
    tokenizer.process([message])
    component.process([message])
    sequence, sentence = message.get_sparse_features("text")
    return {{"tokens": [t.text for t in message.get("text_tokens")],
            "sequence_shape": list(sequence.features.shape) if sequence else None,
            "sentence_grams": sorted(g for g, i in component.vocabulary.items() if sentence and sentence.features.tocsr()[0, i] > 0),
            "sequence_grams": [sorted(g for g, i in component.vocabulary.items() if sequence.features.tocsr()[r, i] > 0)
                               for r in range(sequence.features.shape[0])] if sequence else None}}

seen = features(featurizer, "查一下订单")
upper = features(featurizer, "WHERE  is my order")
unknown = features(featurizer, "😀😀")
loaded = CharNgramFeaturizer.load({{**CharNgramFeaturizer.get_default_config(), "min_df": 1}}, storage, Resource("chars"), context)
again = features(loaded, "查一下订单")
trained_on = [bool(m.get_sparse_features("text")[1]) for m in train.training_examples]

empty = create("empty", min_df=50)
empty.train(train)
nothing = Message(data={{"text": "查一下订单"}})
tokenizer.process([nothing])
empty.process([nothing])

errors = []
for bad in ({{"min_ngram": 0}}, {{"min_ngram": 3, "max_ngram": 2}}, {{"min_df": 0}}, {{"max_features": 0}}):
    try:
        create("bad", **bad)
        errors.append(None)
    except InvalidConfigException as error:
        errors.append(str(error))
print(json.dumps({{"seen": seen, "upper": upper, "unknown": unknown, "again": again, "trained_on": trained_on,
                   "empty_vocabulary": len(empty.vocabulary), "empty_features": nothing.get_sparse_features("text")[1] is not None,
                   "errors": errors}}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp: Path = tmp_path_factory.mktemp("chars")
    return run_in_rasa(SCRIPT.format(tmp=str(tmp), train=TRAIN))


def test_sentence_grams_cross_the_word_boundaries_the_tokenizer_draws(result: dict[str, Any]) -> None:
    seen = result["seen"]
    assert len(seen["tokens"]) >= 2, seen["tokens"]
    assert not any("查一" in token for token in seen["tokens"]), "the test needs a boundary inside 查一"
    assert "查一" in seen["sentence_grams"] and "查一下订" in seen["sentence_grams"]  # 查|一下|订单


def test_sequence_rows_are_the_grams_inside_each_token(result: dict[str, Any]) -> None:
    seen = result["seen"]
    assert seen["sequence_shape"][0] == len(seen["tokens"])
    for token, grams in zip(seen["tokens"], seen["sequence_grams"]):
        assert grams and all(gram in token for gram in grams), (token, grams)


def test_case_and_spacing_do_not_change_the_grams(result: dict[str, Any]) -> None:
    assert "orde" in result["upper"]["sentence_grams"] and "s my" in result["upper"]["sentence_grams"]


def test_unknown_characters_give_empty_rows_not_an_error(result: dict[str, Any]) -> None:
    assert result["unknown"]["sentence_grams"] == [] and result["unknown"]["sequence_shape"][0] >= 1


def test_the_loaded_vocabulary_featurizes_as_the_trained_one(result: dict[str, Any]) -> None:
    assert result["again"] == result["seen"]
    assert all(result["trained_on"])


def test_a_vocabulary_that_keeps_nothing_adds_no_features(result: dict[str, Any]) -> None:
    assert result["empty_vocabulary"] == 0 and result["empty_features"] is False


def test_bad_settings_are_refused_with_a_message_that_names_them(result: dict[str, Any]) -> None:
    for error, key in zip(result["errors"], ("min_ngram", "max_ngram", "min_df", "max_features")):
        assert error is not None and key in error, error
