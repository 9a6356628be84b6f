"""The two pipelines `kefu eval nlu` compares, built from config.yml-shaped settings."""
from __future__ import annotations

import copy

from eval.nlu.rasa_pipeline import (
    FINETUNED_INTENTS,
    LINEAR_INTENTS,
    NOVELTY_GUARD,
    fallback_settings,
    kefu_pipeline,
    limit_finetune_epochs,
    linear_pipeline,
    read_config,
    stock_pipeline,
    svm_pipeline,
    with_linear_intents,
)
from rasa_plugins.nlu.finetune_defaults import FINETUNE_DEFAULTS


def _names(pipeline: dict) -> list[str]:
    return [component["name"] for component in pipeline["pipeline"]]


def _with_linear_intents(config: dict) -> dict:
    return with_linear_intents(_with_diet_intents(config))


def _with_diet_intents(config: dict) -> dict:
    """config.yml with DIET classifying intents and no LinearIntentClassifier (the older setup)."""
    changed = copy.deepcopy(config)
    changed["pipeline"] = [c for c in changed["pipeline"] if c["name"] not in (LINEAR_INTENTS, FINETUNED_INTENTS)]
    for component in changed["pipeline"]:
        if component["name"] == "DIETClassifier":
            component.pop("intent_classification", None)
    return changed


def test_kefu_drops_what_cannot_change_an_intent() -> None:
    names = _names(kefu_pipeline(_with_diet_intents(read_config()), "zh", epochs=None))
    assert "rasa_plugins.nlu.e5_featurizer.E5SentenceFeaturizer" in names and "DIETClassifier" in names
    assert "rasa_plugins.nlu.sentiment.SentimentAnalyzer" not in names and "FallbackClassifier" not in names


def test_an_entity_only_diet_is_left_out_of_the_intent_evaluation() -> None:
    names = _names(kefu_pipeline(_with_linear_intents(read_config()), "zh", epochs=None))
    assert LINEAR_INTENTS in names
    assert "DIETClassifier" not in names, "an entity-only DIET cannot change an intent"


def test_kefu_epochs_reach_an_intent_classifying_diet() -> None:
    config = _with_diet_intents(read_config())
    diet = next(c for c in kefu_pipeline(config, "zh", epochs=9)["pipeline"] if c["name"] == "DIETClassifier")
    assert diet["epochs"] == 9


def test_stock_diet_classifies_intents_whatever_config_yml_says() -> None:
    for config in (_with_diet_intents(read_config()), _with_linear_intents(read_config())):
        pipeline = stock_pipeline(config, "zh", epochs=7)
        assert _names(pipeline)[0] == "JiebaTokenizer"
        diet = pipeline["pipeline"][-1]
        assert diet["name"] == "DIETClassifier" and diet["epochs"] == 7
        assert diet.get("intent_classification", True) is True
    assert _names(stock_pipeline(read_config(), "en", epochs=None))[0] == "WhitespaceTokenizer"


def test_the_linear_pipeline_classifies_with_linear_intents_whatever_config_yml_uses() -> None:
    for config in (_with_diet_intents(read_config()), _with_linear_intents(read_config())):
        names = _names(linear_pipeline(config, "zh", epochs=None))
        assert names.count(LINEAR_INTENTS) == 1
        assert "DIETClassifier" not in names, "DIET only tags entities there, so the evaluation leaves it out"
    assert with_linear_intents(_with_linear_intents(read_config())) == _with_linear_intents(read_config())


def test_kefu_keeps_config_ymls_fine_tuned_blend_and_linear_drops_it() -> None:
    config = read_config()
    assert FINETUNED_INTENTS in _names(kefu_pipeline(config, "zh", epochs=None))
    linear = linear_pipeline(config, "zh", epochs=None)
    assert FINETUNED_INTENTS not in _names(linear)
    classifier = next(c for c in linear["pipeline"] if c["name"] == LINEAR_INTENTS)
    assert "ranking_length" not in classifier, "alone, the linear model keeps its default ranking length"


def test_quick_runs_cap_the_fine_tuning_epochs_and_leave_the_rest_alone() -> None:
    pipeline = kefu_pipeline(read_config(), "zh", epochs=20)
    before = [dict(c) for c in pipeline["pipeline"] if c["name"] != FINETUNED_INTENTS]
    limit_finetune_epochs(pipeline, 1)
    finetuned = next(c for c in pipeline["pipeline"] if c["name"] == FINETUNED_INTENTS)
    assert finetuned["epochs"] == 1
    assert [c for c in pipeline["pipeline"] if c["name"] != FINETUNED_INTENTS] == before
    finetuned["epochs"] = 1
    limit_finetune_epochs(pipeline, 3)
    assert finetuned["epochs"] == 1, "a cap never raises what config.yml asks for"


def test_a_cap_above_the_components_default_epochs_does_not_raise_them() -> None:
    default_epochs = FINETUNE_DEFAULTS["epochs"]
    pipeline = kefu_pipeline(read_config(), "zh", epochs=None)
    finetuned = next(c for c in pipeline["pipeline"] if c["name"] == FINETUNED_INTENTS)
    finetuned.pop("epochs", None)
    limit_finetune_epochs(pipeline, default_epochs + 5)
    assert finetuned["epochs"] == default_epochs
    limit_finetune_epochs(pipeline, 1)
    assert finetuned["epochs"] == 1


def test_the_svm_pipeline_is_the_linear_one_with_hinge_loss_and_the_hinge_grid() -> None:
    logistic_with_own_grid = _with_linear_intents(read_config())
    next(c for c in logistic_with_own_grid["pipeline"] if c["name"] == LINEAR_INTENTS)["c_values"] = [8.0]
    for config in (_with_diet_intents(read_config()), logistic_with_own_grid):
        linear = [c for c in svm_pipeline(config, "zh", epochs=None)["pipeline"] if c["name"] == LINEAR_INTENTS]
        assert len(linear) == 1 and linear[0]["loss"] == "hinge"
        assert "c_values" not in linear[0], "a logistic C grid means nothing on the SVM's scale"
        assert linear[0]["class_weight"] == "auto", "large label sets are rarely balanced: the selection decides"


def test_the_novelty_guard_only_reports_in_the_evaluation_so_its_threshold_can_be_calibrated() -> None:
    config = read_config()
    config["pipeline"] = [c for c in config["pipeline"] if c["name"] != NOVELTY_GUARD]
    config["pipeline"].append({"name": NOVELTY_GUARD, "similarity_threshold": 0.8})
    evaluated = [c for c in kefu_pipeline(config, "zh", epochs=None)["pipeline"] if c["name"] == NOVELTY_GUARD]
    assert evaluated == [{"name": NOVELTY_GUARD, "similarity_threshold": None}]
    assert fallback_settings(config)["similarity_threshold"] == 0.8
