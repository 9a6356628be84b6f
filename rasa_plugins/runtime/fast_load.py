"""Load Rasa's TensorFlow models (DIET, TED) without tracing a training step.

Rasa 3.6 builds a saved model's variables by calling ``model.fit`` on one example before it
loads the weights (``RasaModel.load``). ``fit`` traces the whole training step, gradients and
Adam updates included, into a TensorFlow graph, and that tracing is most of Rasa's start-up time
on a small CPU. The step's only purpose is to create variables of the right shapes, so we run it
eagerly (no tracing), then switch the model back to graph mode: predictions are still traced once
and served as a ``tf.function``, exactly as stock Rasa does.
"""
from __future__ import annotations

import logging
from typing import Any, Optional, Text

logger = logging.getLogger(__name__)
_PATCHED_FLAG = "_kefu_fast_load"


def install() -> None:
    """Replace ``RasaModel.load`` with the eager-build variant (idempotent)."""
    from rasa.utils.tensorflow import models

    if getattr(models.RasaModel, _PATCHED_FLAG, False):
        return
    models.RasaModel.load = classmethod(_load_without_training_trace)  # type: ignore[assignment]
    setattr(models.RasaModel, _PATCHED_FLAG, True)


def _load_without_training_trace(
    cls: Any,
    model_file_name: Text,
    model_data_example: Any,
    predict_data_example: Optional[Any] = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    logger.debug("Loading %s (kefu fast load, finetune_mode=%s)", model_file_name, finetune_mode)
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    learning_rate = config.get(LEARNING_RATE, 0.001)
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.load_weights(model_file_name)
    model.run_eagerly = bool(config.get(RUN_EAGERLY))
    if not finetune_mode and predict_data_example:
        model.run_inference(predict_data_example)
    return model
