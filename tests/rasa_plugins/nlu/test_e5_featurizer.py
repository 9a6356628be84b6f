"""E5SentenceFeaturizer with the real Rasa 3.6.21 and the real offline e5 ONNX model."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from retrieval.embedders.e5_onnx import E5OnnxEmbedder, default_model_dir
from tests.rasa_plugins.nlu.rasa_side import run_in_rasa

TEXTS = ["我的订单HW2024051234到哪了？", "怎么申请退货", "Where is my parcel?"]

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
from retrieval.embedders.e5_onnx import E5OnnxEmbedder

tmp = Path({tmp!r})
(tmp / "storage").mkdir()
storage = LocalModelStorage(tmp / "storage")
context = ExecutionContext(GraphSchema({{}}), "e5")
tokenizer = ChineseTokenizer.create({{**ChineseTokenizer.get_default_config()}}, storage, Resource("t"), context)
featurizer = E5SentenceFeaturizer.create({{**E5SentenceFeaturizer.get_default_config()}}, storage,
                                         Resource("f"), context)
texts = {texts!r}
single = tokenizer.process([Message(data={{"text": text}}) for text in texts])
featurizer.process(single)
batch = TrainingData([Message(data={{"text": text, "intent": "x"}}) for text in texts])
featurizer.process_training_data(tokenizer.process_training_data(batch))

def dense(message):
    sequence, sentence = message.get_dense_features("text", [])
    return {{"n_tokens": len(message.get("text_tokens")), "sequence": sequence.features.tolist(),
             "sentence": sentence.features.tolist()}}

try:
    E5SentenceFeaturizer.create({{**E5SentenceFeaturizer.get_default_config(), "model_dir": str(tmp / "nowhere")}},
                                storage, Resource("m"), context)
    missing = None
except InvalidConfigException as error:
    missing = str(error)
print(json.dumps({{"single": [dense(m) for m in single],
                   "batch": [dense(m) for m in batch.training_examples], "missing": missing,
                   "retriever_same_env": E5OnnxEmbedder().embed_queries(texts).tolist()}}))
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not (default_model_dir() / "model.onnx").is_file():
        pytest.fail(f"the e5 model is not built in {default_model_dir()}: run ./kefu setup")
    tmp: Path = tmp_path_factory.mktemp("e5")
    return run_in_rasa(SCRIPT.format(tmp=str(tmp), texts=TEXTS))


def test_a_sentence_feature_and_one_feature_per_token(result: dict[str, Any]) -> None:
    for item in result["single"]:
        sequence, sentence = np.array(item["sequence"]), np.array(item["sentence"])
        assert sentence.shape == (1, 384)
        assert sequence.shape == (item["n_tokens"], 384)
        assert np.allclose(np.linalg.norm(sequence, axis=1), 1.0, atol=1e-3)
    first, second = (np.array(item["sentence"])[0] for item in result["single"][:2])
    assert float(first @ second) < 0.99, "different messages must get different features"


def test_training_batches_match_single_messages(result: dict[str, Any]) -> None:
    for single, batched in zip(result["single"], result["batch"]):
        assert np.allclose(single["sentence"], batched["sentence"], atol=1e-4)
        assert np.allclose(single["sequence"], batched["sequence"], atol=1e-4)


def test_sentence_feature_is_the_retrievers_query_vector(result: dict[str, Any]) -> None:
    actual = np.array([item["sentence"][0] for item in result["single"]])
    same_env = np.array(result["retriever_same_env"])  # same onnxruntime: the same computation
    assert (same_env * actual).sum(axis=1).min() > 0.99999
    # The 3.11 retriever runs a newer onnxruntime whose int8 kernels round a little differently.
    other_env = E5OnnxEmbedder().embed_queries(TEXTS)
    cosines = (other_env * actual).sum(axis=1)
    assert cosines.min() > 0.995, cosines


def test_missing_model_says_to_run_setup(result: dict[str, Any]) -> None:
    assert result["missing"] is not None
    assert "./kefu setup" in result["missing"] and "nowhere" in result["missing"]
