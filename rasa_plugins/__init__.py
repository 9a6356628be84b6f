"""Code imported only by the Rasa 3.6 process (Python 3.10): NLU components (`nlu/`) and the
patches Kefu starts Rasa with (`runtime/`). Keep it free of 3.11-only syntax, and keep it free of
imports from `bot` (the 3.11 serving runtime): a component gets its settings from its own entry
in config.yml. The few pure-Python modules here that import no Rasa (`nlu/linear_math.py`,
`nlu/sentiment_model.py`, `nlu/finetune_defaults.py`, `nlu/chinese_segmenter.py`) are shared with
the build-time trainers in `models/`, which must produce exactly what the components read.
"""
from pathlib import Path

CODE_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding Kefu's packages; the fine-tune trainer (models/) runs with it on PYTHONPATH."""
