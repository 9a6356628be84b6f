"""bot.pipeline_order: a misplaced intent component fails before training, with what to move."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.config import KefuConfig, RasaSettings
from bot.environments import CODE_ROOT
from bot.pipeline_order import PipelineOrderError, check_pipeline_order, order_problems
from bot.training import TrainingError, ensure_trained

TOKENIZER = {"name": "rasa_plugins.nlu.chinese_tokenizer.ChineseTokenizer"}
LINEAR = {"name": "rasa_plugins.nlu.linear_intent_classifier.LinearIntentClassifier", "ranking_length": 0}
FINETUNED = {"name": "rasa_plugins.nlu.finetuned_intent_classifier.FineTunedIntentClassifier", "blend_weight": 0.7}
DIET_ENTITIES = {"name": "DIETClassifier", "intent_classification": False}
FALLBACK = {"name": "FallbackClassifier", "threshold": 0.4}
GUARD = {"name": "rasa_plugins.nlu.novelty_guard.NoveltyGuard"}


def test_the_repositorys_config_is_in_order() -> None:
    check_pipeline_order(CODE_ROOT / "config.yml")


def test_the_shipped_order_passes_and_an_entity_only_diet_after_the_blend_is_fine() -> None:
    assert order_problems([TOKENIZER, LINEAR, FINETUNED, DIET_ENTITIES, FALLBACK, GUARD]) == []


def test_a_blend_with_nothing_before_it_says_to_move_it_or_use_it_alone() -> None:
    problems = order_problems([TOKENIZER, FINETUNED, LINEAR, FALLBACK])
    assert any("none does: move it below LinearIntentClassifier, or set blend_weight: 1.0" in p for p in problems)
    assert any("LinearIntentClassifier comes after FineTunedIntentClassifier" in p for p in problems)
    # Without blend_weight the component's default blends, so the same holds.
    unweighted = {"name": FINETUNED["name"]}
    assert any("none does" in p for p in order_problems([TOKENIZER, unweighted, FALLBACK]))
    # Alone on purpose (blend_weight 1.0) it needs nothing before it.
    assert order_problems([TOKENIZER, {**FINETUNED, "blend_weight": 1.0}, FALLBACK]) == []


def test_an_intent_classifying_diet_after_the_blend_would_overwrite_it() -> None:
    problems = order_problems([TOKENIZER, LINEAR, FINETUNED, {"name": "DIETClassifier"}, FALLBACK])
    assert problems == ["DIETClassifier comes after FineTunedIntentClassifier and would replace the blended "
                        "intent: move FineTunedIntentClassifier below DIETClassifier"]


def test_the_fallback_and_the_guard_must_judge_the_final_intent() -> None:
    problems = order_problems([TOKENIZER, LINEAR, FALLBACK, GUARD, FINETUNED])
    assert [p.split(" judges")[0] for p in problems] == ["FallbackClassifier", "NoveltyGuard"]
    assert all("must come after FineTunedIntentClassifier" in p for p in problems)


def test_training_stops_at_once_with_the_file_and_the_fix(tmp_path: Path) -> None:
    config = {"language": "zh", "pipeline": [TOKENIZER, FINETUNED, LINEAR, FALLBACK]}
    (tmp_path / "config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(TrainingError, match=r"config\.yml: FineTunedIntentClassifier blends"):
        ensure_trained(KefuConfig(root=tmp_path, rasa=RasaSettings(config="config.yml")))
    (tmp_path / "broken.yml").write_text("pipeline: [\n", encoding="utf-8")
    with pytest.raises(PipelineOrderError, match="cannot be read"):
        check_pipeline_order(tmp_path / "broken.yml")


@pytest.mark.parametrize("adjuster", ["rasa_plugins.nlu.social_phrases.SocialPhraseRescue",
                                      "rasa_plugins.nlu.withdrawn_complaint.WithdrawnComplaint"])
def test_the_intent_adjusters_must_follow_the_judges_whose_intent_they_adjust(adjuster: str) -> None:
    component = {"name": adjuster}
    assert order_problems([TOKENIZER, LINEAR, FINETUNED, FALLBACK, GUARD, component]) == []
    problems = order_problems([TOKENIZER, LINEAR, FINETUNED, FALLBACK, component, GUARD])
    short = adjuster.rsplit(".", 1)[-1]
    assert any(f"{short} adjusts the intent that NoveltyGuard decides" in p for p in problems), problems
