"""SentimentAnalyzer inside a real Rasa 3.6.21 NLU pipeline (trained and parsed in the Rasa env),
plus the committed model artifact read by the numpy runtime on this side.

The example messages are written for this test; none of them is in the sentiment training data.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from rasa_plugins.nlu.sentiment_model import DEFAULT_MODEL, SentimentModel, load_manifest
from tests.rasa_plugins.nlu.rasa_side import run_in_rasa

NLU_YAML = """
version: "3.1"
nlu:
- intent: ask_delivery
  examples: |
    - 什么时候发货
    - 几天能到
    - 发什么快递
    - 今天能发出吗
- intent: complain
  examples: |
    - 我要投诉
    - 你们服务太差
    - 东西坏了
    - 要给差评
"""

CONFIG_YAML = """
recipe: default.v1
language: zh
pipeline:
  - name: JiebaTokenizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 2
  - name: LogisticRegressionClassifier
  - name: rasa_plugins.nlu.sentiment.SentimentAnalyzer
policies: []
"""

MESSAGES = {
    "angry": "等了整整十天还没发货，客服也不回，你们这是在耍人吗，气死我了！",
    "question": "请问这款保温杯可以刻字吗？",
    "praise": "收到了，做工很精致，包装也用心，非常喜欢，谢谢！",
}

SCRIPT = """
import asyncio, json
from pathlib import Path
from rasa.model_training import train_nlu
from rasa.core.agent import Agent

tmp = Path({tmp!r})
(tmp / "nlu.yml").write_text({nlu!r}, encoding="utf-8")
(tmp / "config.yml").write_text({config!r}, encoding="utf-8")
model = train_nlu(str(tmp / "config.yml"), str(tmp / "nlu.yml"), str(tmp / "models"), fixed_model_name="tiny")
agent = Agent.load(model)
parsed = {{name: asyncio.run(agent.parse_message(text)) for name, text in {messages!r}.items()}}
print(json.dumps({{name: {{"intent": p["intent"]["name"], "sentiment": p.get("sentiment")}}
                  for name, p in parsed.items()}}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("sentiment")
    return run_in_rasa(SCRIPT.format(tmp=str(tmp), nlu=NLU_YAML, config=CONFIG_YAML, messages=MESSAGES))


def test_parse_data_carries_sentiment_next_to_the_intent(parsed: dict) -> None:
    for name, result in parsed.items():
        assert result["intent"] in ("ask_delivery", "complain"), name
        sentiment = result["sentiment"]
        assert set(sentiment) == {"label", "confidence", "emotion", "emotion_score", "probabilities"}
        assert abs(sum(sentiment["probabilities"].values()) - 1.0) < 1e-3


def test_an_angry_message_is_negative_and_angry(parsed: dict) -> None:
    sentiment = parsed["angry"]["sentiment"]
    assert sentiment["label"] == "negative"
    assert sentiment["emotion"] == "愤怒"
    assert sentiment["emotion_score"] >= 0.6, sentiment  # the bot's handoff threshold


def test_a_question_is_neutral_and_praise_is_positive(parsed: dict) -> None:
    assert parsed["question"]["sentiment"]["label"] == "neutral", parsed["question"]
    assert parsed["question"]["sentiment"]["emotion"] is None
    assert parsed["praise"]["sentiment"]["label"] == "positive", parsed["praise"]


def test_the_committed_artifact_matches_its_manifest() -> None:
    manifest = load_manifest(DEFAULT_MODEL)
    assert manifest["sha256"] == hashlib.sha256(DEFAULT_MODEL.read_bytes()).hexdigest()
    assert manifest["training_command"] == "python -m models.train_sentiment"
    assert {Path(d["file"]).name for d in manifest["data"]} == {
        "online_shopping_10_cats.csv", "waimai_10k.csv", "train.json", "dev.json"}
    assert DEFAULT_MODEL.stat().st_size < 5 * 1024 * 1024


def test_disappointment_and_mild_displeasure_are_told_apart() -> None:
    model = SentimentModel.load()
    disappointed = model.predict_one("一直很信任这家店，这次的质量真让人失望")
    mild = model.predict_one("尺码偏小了一点，穿着不太满意")
    assert disappointed.polarity == "negative" and disappointed.emotion == "失望", disappointed
    assert mild.polarity == "negative" and mild.emotion == "不满", mild


def test_numpy_runtime_reads_the_artifact_without_scikit_learn() -> None:
    model = SentimentModel.load()
    results = model.predict(list(MESSAGES.values()))
    assert [r.polarity for r in results] == ["negative", "neutral", "positive"]
    assert json.dumps([r.as_dict() for r in results], ensure_ascii=False)
