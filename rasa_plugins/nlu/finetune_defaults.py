"""The fine-tuned intent classifier's training defaults, written once.

Three places read them: the Rasa component (Python 3.10, no torch), the trainer it runs in Kefu's
3.11 environment, and eval's quick runs (3.11, no Rasa). So they live in a module that imports
nothing, and a change here reaches all three.
"""
from __future__ import annotations

from typing import Any, Dict

FINETUNE_DEFAULTS: Dict[str, Any] = {
    "epochs": 4,
    "learning_rate": 4e-5,  # encoder
    "head_learning_rate": 2e-3,  # the linear layer starts from zero knowledge
    "batch_size": 16,
    "max_length": 64,  # sub-words per message; customer messages are far shorter
    "seed": 42,
    "threads": 2,
}
