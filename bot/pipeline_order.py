"""Check the order of the intent components in config.yml before Rasa trains for minutes.

Rasa runs the pipeline top to bottom and lets a later intent classifier overwrite an earlier one's
intent without a word. Two of Kefu's components depend on their place:

- ``FineTunedIntentClassifier`` blends its probabilities with the ``intent_ranking`` an intent
  classifier before it left on the message (``blend_weight`` < 1). With none before it, the blend
  silently becomes the fine-tuned model alone; with one after it, the blend is thrown away.
- ``FallbackClassifier`` and ``NoveltyGuard`` judge the final intent, so they come after every
  intent classifier.
- ``SocialPhraseRescue`` undoes their fallback for a purely social message, so it comes after both.

It lives outside rasa_plugins/nlu/ so that it is not part of the model's fingerprint, and it imports
nothing from Rasa, so `kefu train` / `kefu up` can run it in Kefu's own
environment and fail in a second with the line to change.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# Kefu's component names as config.yml writes them (eval.nlu.rasa_pipeline reads these too).
FINETUNED = "rasa_plugins.nlu.finetuned_intent_classifier.FineTunedIntentClassifier"
NOVELTY_GUARD = "rasa_plugins.nlu.novelty_guard.NoveltyGuard"
JUDGES = ("FallbackClassifier", NOVELTY_GUARD)
SOCIAL_RESCUE = "rasa_plugins.nlu.social_phrases.SocialPhraseRescue"
WITHDRAWN_COMPLAINT = "rasa_plugins.nlu.withdrawn_complaint.WithdrawnComplaint"
ADJUSTERS = (SOCIAL_RESCUE, WITHDRAWN_COMPLAINT)  # read the judged intent and adjust it: after the judges


class PipelineOrderError(ValueError):
    """config.yml's pipeline puts an intent component where its output is lost."""


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def classifies_intents(component: dict[str, Any]) -> bool:
    """True for a component that sets the message's intent (not the fine-tuned blend, not a judge)."""
    name = str(component.get("name", ""))
    if name == FINETUNED or name in JUDGES or name in ADJUSTERS:
        return False
    if _short(name) == "DIETClassifier":
        return component.get("intent_classification", True) is not False
    return _short(name).endswith(("IntentClassifier", "LogisticRegressionClassifier"))


def order_problems(pipeline: list[dict[str, Any]]) -> list[str]:
    """Every misplaced intent component, each as a sentence that says what to move."""
    names = [str(component.get("name", "")) for component in pipeline]
    classifiers = [i for i, component in enumerate(pipeline) if classifies_intents(component)]
    problems: list[str] = []
    at = names.index(FINETUNED) if FINETUNED in names else None
    if at is not None:
        blend = pipeline[at].get("blend_weight")  # absent: the component's default, which blends
        try:
            blends = blend is None or float(blend) < 1
        except (TypeError, ValueError):
            blends = True  # the component itself reports a blend_weight that is not a number
        if blends and not any(i < at for i in classifiers):
            problems.append("FineTunedIntentClassifier blends with an intent classifier "
                            "that runs before it, and none does: move it below LinearIntentClassifier, or set "
                            "blend_weight: 1.0 to use the fine-tuned model alone")
        for i in classifiers:
            if i > at:
                problems.append(f"{_short(names[i])} comes after FineTunedIntentClassifier and would replace the "
                                f"blended intent: move FineTunedIntentClassifier below {_short(names[i])}")
    deciders = classifiers + ([at] if at is not None else [])
    for judge in JUDGES:
        if judge in names and deciders and names.index(judge) < max(deciders):
            problems.append(f"{_short(judge)} judges the final intent, so it must come after "
                            f"{_short(names[max(deciders)])}: move it below")
    for adjuster in ADJUSTERS:
        if adjuster not in names:
            continue
        late = [judge for judge in JUDGES if judge in names and names.index(judge) > names.index(adjuster)]
        if late:
            problems.append(f"{_short(adjuster)} adjusts the intent that {_short(late[0])} decides, so it must come "
                            f"after {_short(late[0])}: move it below")
    return problems


def check_pipeline_order(config_path: Path) -> None:
    """Raises PipelineOrderError naming config.yml and each component to move."""
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise PipelineOrderError(f"{config_path}: cannot be read ({error})") from error
    pipeline = config.get("pipeline") if isinstance(config, dict) else None
    if not isinstance(pipeline, list):
        return  # no pipeline of its own: Rasa's defaults, nothing of Kefu's to place
    problems = order_problems([c for c in pipeline if isinstance(c, dict)])
    if problems:
        raise PipelineOrderError(f"{config_path}: " + "; ".join(problems))
