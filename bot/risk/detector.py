"""The risk check the gateway runs on every customer message the bot would get.

Risk words (words.py) decide first: a customer who names 12315 or a lawyer goes to a person. The
classifier (model.py) then reads the message for danger described in ordinary words. Both read the
normalised text. If the classifier's e5 model cannot load, the check runs on words alone and says so
in the log once: a broken model must not stop the conversation.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.risk.model import DEFAULT_MODEL, QueryEmbedder, RiskModel
from bot.risk.words import risk_words_in
from rasa_plugins.text.normalize import normalize_text

logger = logging.getLogger("kefu.risk")

# Every risk word names the law, a regulator, the police or the media, except 投诉 (a complaint).
WORD_CLASSES = {"投诉": "complaint"}
MAX_CHARS = 500  # the classifier reads the start of a very long message; words are checked in all of it
# A message with fewer letters than this ("1234", "好的", "??") says too little for the classifier to
# judge: out of its training distribution it is confidently wrong. Words and repetition still apply.
MIN_LETTERS = 4


@dataclass(frozen=True)
class RiskFinding:
    risk_class: str  # one of bot.risk.RISK_CLASSES, or "complaint" for the word 投诉
    evidence: str  # "word:律师" or "model:0.87"


class RiskDetector:
    def __init__(self, words: tuple[str, ...], use_model: bool = True, model_path: Path = DEFAULT_MODEL,
                 embedder: QueryEmbedder | None = None) -> None:
        self.words, self.use_model, self.model_path = words, use_model, model_path
        self._model: RiskModel | None = None
        self._embedder = embedder
        self._lock = threading.Lock()
        self._failed = False

    def assess(self, text: str) -> RiskFinding | None:
        """The risk in one message, or None. Blocking (the classifier runs e5): call it off the event loop."""
        hits = risk_words_in(text, self.words)
        if hits:
            return RiskFinding(WORD_CLASSES.get(hits[0].word, "legal_media"), f"word:{hits[0].word}")
        normalized = normalize_text(text or "").strip()[:MAX_CHARS]
        letters = sum(ch.isalpha() for ch in normalized)
        if letters < MIN_LETTERS or not self.use_model or not self._ready():
            return None
        assert self._model is not None and self._embedder is not None
        score = self._model.score_texts(self._embedder, [normalized])[0]
        return RiskFinding(score.risk_class, f"model:{score.probability:.2f}") if score.risky else None

    def model_reading(self, text: str, threshold: float) -> RiskFinding | None:
        """The classifier alone, at a caller's threshold (a second signal backs it, context_risk.py);
        None when the model is off or reads no risk at that threshold. Blocking."""
        normalized = normalize_text(text or "").strip()[:MAX_CHARS]
        if sum(ch.isalpha() for ch in normalized) < MIN_LETTERS or not self.use_model or not self._ready():
            return None
        assert self._model is not None and self._embedder is not None
        score = self._model.score_texts(self._embedder, [normalized])[0]
        return RiskFinding(score.risk_class, f"model:{score.probability:.2f}") if score.probability >= threshold else None

    def warm_up(self) -> bool:
        """Load the classifier now (the gateway does so at start); False when it is off or broken."""
        return self.use_model and self._ready()

    def _ready(self) -> bool:
        if self._model is not None:
            return True
        if self._failed:
            return False
        with self._lock:
            if self._model is None and not self._failed:
                try:
                    if self._embedder is None:
                        self._embedder = shared_embedder()
                    self._model = RiskModel.load(self.model_path)
                except Exception as error:  # a missing model file or e5 build: words only, said once
                    logger.error("the risk classifier is off (%s); risk words still hand off", error)
                    self._failed = True
        return self._model is not None


_SHARED: QueryEmbedder | None = None
_SHARED_LOCK = threading.Lock()


def shared_embedder() -> QueryEmbedder:
    """One e5 query embedder per process (the same offline build retrieval uses)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            from retrieval.embedders.e5_onnx import E5OnnxEmbedder

            embedder = E5OnnxEmbedder(intra_op_threads=1)
            embedder.warm_up()
            _SHARED = embedder
        return _SHARED
