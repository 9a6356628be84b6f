"""The two pipelines `kefu eval nlu` compares, built from the real config.yml."""
from __future__ import annotations

from eval.nlu_rasa import kefu_pipeline, read_config, stock_pipeline


def _names(pipeline: dict) -> list[str]:
    return [component["name"] for component in pipeline["pipeline"]]


def test_kefu_keeps_what_decides_intents_and_drops_what_cannot() -> None:
    config = read_config()
    names = _names(kefu_pipeline(config, "zh", epochs=None))
    assert "bot.nlu.linear_intent_classifier.LinearIntentClassifier" in names
    assert "bot.nlu.e5_featurizer.E5SentenceFeaturizer" in names
    assert "bot.nlu.sentiment.SentimentAnalyzer" not in names and "FallbackClassifier" not in names
    entity_only = [c for c in config["pipeline"]
                   if c["name"] == "DIETClassifier" and c.get("intent_classification") is False]
    assert entity_only, "config.yml's DIET only tags entities"
    assert "DIETClassifier" not in names, "an entity-only DIET cannot change an intent"


def test_stock_diet_classifies_intents_with_the_requested_epochs() -> None:
    pipeline = stock_pipeline(read_config(), "zh", epochs=7)
    assert _names(pipeline)[0] == "JiebaTokenizer"
    diet = pipeline["pipeline"][-1]
    assert diet["name"] == "DIETClassifier" and diet["epochs"] == 7
    assert diet.get("intent_classification", True) is True
    assert _names(stock_pipeline(read_config(), "en", epochs=None))[0] == "WhitespaceTokenizer"
