"""Train a Rasa NLU pipeline in-process and predict intents in batches (Rasa environment).

Two pipelines are compared: ``kefu`` (config.yml's NLU pipeline with the Kefu components) and
``stock`` (Rasa's own tokenizer + CountVectors + DIET with the same DIET settings).
"""
from __future__ import annotations

import copy
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from bot.pipeline_order import FINETUNED as FINETUNED_INTENTS
from bot.pipeline_order import NOVELTY_GUARD
from rasa_plugins.nlu.finetune_defaults import FINETUNE_DEFAULTS

REPO = Path(__file__).resolve().parents[2]
NOT_FOR_INTENTS = ("rasa_plugins.nlu.sentiment",)  # components that do not touch intents (skipped in eval)
FALLBACK_INTENT = "nlu_fallback"
BATCH = 256


@dataclass
class Prediction:
    text: str
    gold: str
    ranking: List[tuple]  # [(intent, confidence)], best first, without nlu_fallback
    similarity: Optional[float] = None  # NoveltyGuard's similarity to the training messages, if in the pipeline


def read_config(path: Path = REPO / "config.yml") -> Dict[str, Any]:
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(config, dict) or not isinstance(config.get("pipeline"), list):
        raise ValueError(f"{path}: no `pipeline:` list found")
    return config


def fallback_settings(config: Dict[str, Any]) -> Dict[str, float]:
    """The FallbackClassifier's two thresholds and the NoveltyGuard's, 0 for what is absent."""
    settings = {"threshold": 0.0, "ambiguity_threshold": 0.0, "similarity_threshold": 0.0}
    for component in config["pipeline"]:
        if component.get("name") == "FallbackClassifier":
            settings.update(threshold=float(component.get("threshold", 0.3)),
                            ambiguity_threshold=float(component.get("ambiguity_threshold", 0.1)))
        if component.get("name") == NOVELTY_GUARD and component.get("similarity_threshold") is not None:
            settings["similarity_threshold"] = float(component["similarity_threshold"])
    return settings


def _diet(config: Dict[str, Any]) -> Dict[str, Any]:
    return next((dict(c) for c in config["pipeline"] if c.get("name") == "DIETClassifier"),
                {"name": "DIETClassifier", "epochs": 100})


def _tags_entities_only(component: Dict[str, Any]) -> bool:
    return component.get("name") == "DIETClassifier" and component.get("intent_classification") is False


def kefu_pipeline(config: Dict[str, Any], language: str, epochs: Optional[int]) -> Dict[str, Any]:
    """config.yml's NLU pipeline without the components that cannot change an intent: the sentiment
    component and a DIET that only tags entities (``intent_classification: false``). This evaluation
    measures intents, and that DIET took most of the training time. The FallbackClassifier is left
    out and the NoveltyGuard only reports its similarity: rejections are counted from the
    predictions (eval.nlu.metrics), so the thresholds can be calibrated on them."""
    pipeline = [copy.deepcopy(c) for c in config["pipeline"]
                if not str(c.get("name", "")).startswith(NOT_FOR_INTENTS) and c.get("name") != "FallbackClassifier"
                and not _tags_entities_only(c)]
    for component in pipeline:
        if component.get("name") == "DIETClassifier" and epochs:
            component["epochs"] = epochs
        if component.get("name") == NOVELTY_GUARD:
            component["similarity_threshold"] = None
    return {"recipe": "default.v1", "language": language, "pipeline": pipeline, "policies": []}


LINEAR_INTENTS = "rasa_plugins.nlu.linear_intent_classifier.LinearIntentClassifier"


def with_linear_intents(config: Dict[str, Any], loss: Optional[str] = None,
                        class_weight: Optional[str] = None) -> Dict[str, Any]:
    """config.yml with LinearIntentClassifier alone classifying intents (no FineTunedIntentClassifier
    blended in) and DIET tagging entities only (docs/nlu.md shows this config). ``loss`` sets the
    classifier's loss, and then drops config.yml's ``c_values``, which belong to the other loss's scale;
    ``class_weight`` (e.g. ``auto``) replaces config.yml's."""
    changed = copy.deepcopy(config)
    changed["pipeline"] = [c for c in changed["pipeline"] if c.get("name") != FINETUNED_INTENTS]
    linear = next((c for c in changed["pipeline"] if c.get("name") == LINEAR_INTENTS), None)
    if linear is not None:
        linear.pop("ranking_length", None)  # config.yml passes every intent on to the fine-tuned blend
    if linear is None:
        at = next((i for i, c in enumerate(changed["pipeline"]) if c.get("name") == "DIETClassifier"),
                  len(changed["pipeline"]))
        if at < len(changed["pipeline"]):
            changed["pipeline"][at]["intent_classification"] = False
        linear = {"name": LINEAR_INTENTS}
        changed["pipeline"].insert(at, linear)
    if loss is not None and linear.get("loss", "logistic") != loss:
        linear["loss"] = loss
        linear.pop("c_values", None)
    if class_weight is not None:
        linear["class_weight"] = class_weight
    return changed


def limit_finetune_epochs(pipeline: Dict[str, Any], epochs: int) -> None:
    """Cap the FineTunedIntentClassifier's training passes (for quick smoke runs).

    A component that leaves ``epochs`` out trains for the component's default, so the cap is
    measured against that default: a cap above it must not raise it.
    """
    default_epochs = int(FINETUNE_DEFAULTS["epochs"])
    for component in pipeline["pipeline"]:
        if component.get("name") == FINETUNED_INTENTS:
            component["epochs"] = min(int(component.get("epochs", default_epochs)), epochs)


def linear_pipeline(config: Dict[str, Any], language: str, epochs: Optional[int]) -> Dict[str, Any]:
    """The Kefu pipeline with LinearIntentClassifier classifying intents, whatever config.yml uses."""
    return kefu_pipeline(with_linear_intents(config), language, epochs)


def svm_pipeline(config: Dict[str, Any], language: str, epochs: Optional[int]) -> Dict[str, Any]:
    """The Kefu pipeline with LinearIntentClassifier's linear SVM (``loss: hinge``) classifying
    intents: the choice for label sets of a hundred intents and more, where logistic training is slow.
    Such label sets are rarely balanced (CIC's 118 intents have 10 to 590 messages in train+dev), so the
    selection also tries balanced class weights (``class_weight: auto``) and keeps them only if
    they raise the cross-validated macro-F1 on the training data."""
    return kefu_pipeline(with_linear_intents(config, loss="hinge", class_weight="auto"), language, epochs)


def stock_pipeline(config: Dict[str, Any], language: str, epochs: Optional[int]) -> Dict[str, Any]:
    """Rasa's stock pipeline; DIET classifies intents (and tags entities) whatever config.yml says."""
    diet = _diet(config)
    diet.pop("intent_classification", None)
    if epochs:
        diet["epochs"] = epochs
    tokenizer = {"name": "JiebaTokenizer"} if language == "zh" else {"name": "WhitespaceTokenizer"}
    pipeline = [tokenizer, {"name": "CountVectorsFeaturizer"},
                {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
                diet]
    return {"recipe": "default.v1", "language": language, "pipeline": pipeline, "policies": []}


def quiet_rasa() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    for name in ("rasa", "tensorflow", "absl", "jieba", "matplotlib"):
        logging.getLogger(name).setLevel(logging.ERROR)


def train(pipeline: Dict[str, Any], data: "TrainingData", workdir: Path, name: str) -> Path:
    """Trains an NLU model from ``data`` with ``pipeline``; returns the model archive."""
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    workdir.mkdir(parents=True, exist_ok=True)
    config_path, data_path = workdir / f"{name}.config.yml", workdir / f"{name}.nlu.yml"
    config_path.write_text(yaml.safe_dump(pipeline, allow_unicode=True, sort_keys=False), encoding="utf-8")
    RasaYAMLWriter().dump(data_path, data)
    model = train_nlu(str(config_path), str(data_path), str(workdir / "models"), fixed_model_name=name)
    if not model or not Path(model).exists():
        raise RuntimeError(f"training the {name} pipeline produced no model (see Rasa's messages above)")
    return Path(model)


def predict(model: Path, data: "TrainingData") -> List[Prediction]:
    """Top intents with confidences for every intent example, parsed in batches of 256."""
    from rasa.core.agent import Agent
    from rasa.core.channels import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
    from rasa.shared.core.trackers import DialogueStateTracker

    processor = Agent.load(str(model)).processor
    target = processor.model_metadata.nlu_target
    tracker = DialogueStateTracker("nlu-eval", slots=[])
    examples = data.intent_examples
    predictions: List[Prediction] = []
    for start in range(0, len(examples), BATCH):
        chunk = examples[start:start + BATCH]
        messages = [UserMessage(m.get("text")) for m in chunk]
        parsed = processor.graph_runner.run(inputs={PLACEHOLDER_MESSAGE: messages, PLACEHOLDER_TRACKER: tracker},
                                            targets=[target])[target]
        for example, message in zip(chunk, parsed):
            ranking = [(r["name"], float(r["confidence"])) for r in message.get("intent_ranking") or []
                       if r["name"] != FALLBACK_INTENT]
            similarity = (message.get("novelty") or {}).get("similarity")
            predictions.append(Prediction(example.get("text"), example.get("intent"), ranking, similarity))
        progress(f"  parsed {min(start + BATCH, len(examples))}/{len(examples)}")
    return predictions


def timed(function, *args):  # noqa: ANN001, ANN201 - tiny helper
    started = time.monotonic()
    result = function(*args)
    return result, time.monotonic() - started


def progress(message: str) -> None:
    print(f"[nlu-eval] {message}", file=sys.stderr, flush=True)
