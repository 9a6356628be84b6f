"""FineTunedIntentClassifier: multilingual-e5-small fine-tuned on the intents, blended with the
intent ranking an earlier classifier left on the message.

In config.yml, after :class:`~rasa_plugins.nlu.linear_intent_classifier.LinearIntentClassifier` (give that
one ``ranking_length: 0`` so that every intent's probability reaches the blend)::

    - name: rasa_plugins.nlu.finetuned_intent_classifier.FineTunedIntentClassifier
      blend_weight: 0.7   # this model's share; the linear model keeps the rest

Why: the linear model reads a frozen e5 vector and n-grams. Training e5 itself on the intents
teaches it which differences matter here (取消当前操作 is a ``stop``, not a ``cancel_order``).
On the demo bot's data, blended 0.7/0.3: 5-fold cross-validated macro-F1 0.918 (linear alone
0.914), held-out accuracy 0.972 (0.960); docs/nlu.md has the figures and what they cost.

Training needs torch, which is in Kefu's Python 3.11 environment and not in Rasa's, so it runs
``python -m models.finetune_trainer`` there (``KEFU_PY311``, set by ``./kefu``) and stores the
int8 ONNX model it writes. Prediction is onnxruntime in this process, about 3 ms a message.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_plugins import CODE_ROOT
from rasa_plugins.nlu.finetune_defaults import FINETUNE_DEFAULTS
from rasa_plugins.nlu.linear_math import softmax

MODEL_FILE, LABELS_FILE, TOKENIZER_FILE = "model.onnx", "labels.json", "tokenizer.json"
QUERY_PREFIX = "query: "
TRAINER_SETTINGS = tuple(FINETUNE_DEFAULTS)


class FineTuneFailed(RuntimeError):
    """The fine-tuning subprocess failed; the message carries the end of its output."""


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FineTunedIntentClassifier(IntentClassifier, GraphComponent):
    """See the module docstring."""

    @classmethod
    def required_components(cls) -> List[Type]:
        # The linear classifier should run first, but Rasa 3.6 cannot check that for a custom
        # component (it reports it missing); without a ranking on the message this model is used alone.
        return []

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "blend_weight": 0.7,  # this model's share of the blended probability
            **FINETUNE_DEFAULTS,  # what the trainer receives (TRAINER_SETTINGS)
            "ranking_length": 10,
        }

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not 0.0 <= float(config["blend_weight"]) <= 1.0:
            raise InvalidConfigException("FineTunedIntentClassifier: blend_weight must be within 0..1 "
                                         f"(1: this model alone), got {config['blend_weight']!r}")
        for key in ("epochs", "batch_size", "threads"):
            if int(config[key]) < 1:
                raise InvalidConfigException(f"FineTunedIntentClassifier: {key} must be >= 1, got {config[key]!r}")
        if not 8 <= int(config["max_length"]) <= 512:
            raise InvalidConfigException("FineTunedIntentClassifier: max_length must be within 8..512")

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model_dir: Optional[Path] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self.validate_config(self.config)
        self._model_storage = model_storage
        self._resource = resource
        self._session: Any = None
        self._tokenizer: Any = None
        self._labels: List[str] = []
        if model_dir is not None:
            self._load_model(model_dir)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "FineTunedIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        if len({m.get(INTENT) for m in examples}) < 2:
            print("[fine-tune] fewer than two intents in the training data; not trained", file=sys.stderr)
            return self._resource
        with tempfile.TemporaryDirectory(prefix="kefu-finetune-") as scratch:
            data = Path(scratch) / "examples.json"
            data.write_text(json.dumps({"texts": [m.get(TEXT) for m in examples],
                                        "labels": [m.get(INTENT) for m in examples]}, ensure_ascii=False),
                            encoding="utf-8")
            out = Path(scratch) / "model"
            run_trainer(data, out, {key: self.config[key] for key in TRAINER_SETTINGS})
            with self._model_storage.write_to(self._resource) as folder:
                for name in (MODEL_FILE, LABELS_FILE, TOKENIZER_FILE, "facts.json"):
                    shutil.copyfile(out / name, folder / name)
                self._load_model(folder)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "FineTunedIntentClassifier":
        try:
            with model_storage.read_from(resource) as folder:
                if (folder / MODEL_FILE).is_file():
                    return cls(config, model_storage, resource, folder)
        except ValueError:
            pass
        print("[fine-tune] no fine-tuned model in the Rasa model: the earlier classifier's ranking is kept",
              file=sys.stderr)
        return cls(config, model_storage, resource)

    def _load_model(self, folder: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = int(self.config["threads"])
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # as in E5OnnxEmbedder
        self._session = ort.InferenceSession(str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self._tokenizer.enable_truncation(max_length=int(self.config["max_length"]))
        self._labels = json.loads((folder / LABELS_FILE).read_text(encoding="utf-8"))

    def probabilities(self, texts: List[str]) -> np.ndarray:
        """[len(texts), len(labels)] softmax of the fine-tuned model's logits."""
        pad = self._tokenizer.token_to_id("<pad>")
        rows = [e.ids for e in self._tokenizer.encode_batch([QUERY_PREFIX + t for t in texts])]
        ids = np.full((len(rows), max(len(r) for r in rows)), pad, dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, row in enumerate(rows):
            ids[i, :len(row)], mask[i, :len(row)] = row, 1
        logits = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return softmax(logits.astype(np.float64))

    def process(self, messages: List[Message]) -> List[Message]:
        todo = [m for m in messages if m.get(TEXT)]
        if self._session is None or not todo:
            return messages
        own = self.probabilities([str(m.get(TEXT)) for m in todo])
        weight = float(self.config["blend_weight"])
        length = int(self.config["ranking_length"])
        for message, row in zip(todo, own):
            prior = {r[INTENT_NAME_KEY]: float(r[PREDICTED_CONFIDENCE_KEY]) for r in message.get("intent_ranking") or []}
            blended = {label: weight * p + (1.0 - weight) * prior.get(label, 0.0) for label, p in zip(self._labels, row)}
            ranking = [{INTENT_NAME_KEY: label, PREDICTED_CONFIDENCE_KEY: value}
                       for label, value in sorted(blended.items(), key=lambda item: -item[1])]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking[:length] if length > 0 else ranking, add_to_output=True)
        return messages


def run_trainer(data: Path, out: Path, settings: Dict[str, Any]) -> None:
    """Runs the fine-tuning in Kefu's 3.11 environment, echoing its progress lines."""
    python = os.environ.get("KEFU_PY311")
    if not python or not Path(python).exists():
        raise InvalidConfigException(
            "FineTunedIntentClassifier trains with torch in Kefu's Python 3.11 environment: run Rasa "
            "through ./kefu (which sets KEFU_PY311), set KEFU_PY311 to that Python, or remove the "
            "component from config.yml")
    command = [python, "-m", "models.finetune_trainer", "--data", str(data), "--out", str(out)]
    for key, value in settings.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(CODE_ROOT), os.environ.get("PYTHONPATH")]))}
    lines: List[str] = []
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("[fine-tune]"):
                print(line.rstrip(), file=sys.stderr, flush=True)
    if process.returncode != 0:
        raise FineTuneFailed(f"fine-tuning failed (exit {process.returncode}); its last lines:\n" + "".join(lines[-20:]))
