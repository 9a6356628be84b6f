"""Jieba tokenisation for BM25: a private jieba instance, a domain user dictionary, stopwords,
and optional character n-grams (they rescue recall when segmentation differs between the
customer's words and the knowledge base's, e.g. "发顺丰" vs "顺丰")."""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import jieba
import yaml

jieba.setLogLevel(logging.WARNING)

DEFAULT_STOPWORDS = Path(__file__).parent / "resources" / "stopwords_zh.txt"
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"\w", re.UNICODE)


def read_user_words(path: Path) -> list[str]:
    """Words from a plain list (one per line) or a Rasa NLU YAML file's lookup tables."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() not in (".yml", ".yaml"):
        return [line.split()[0] for line in text.splitlines() if line.strip()]
    words: list[str] = []
    for entry in (yaml.safe_load(text) or {}).get("nlu", []) or []:
        if isinstance(entry, dict) and "lookup" in entry:
            words += [line.strip(" -\t") for line in str(entry.get("examples", "")).splitlines() if line.strip(" -\t")]
    return words


class JiebaTokenizer:
    """Callable text -> tokens. Light init; the jieba dictionary loads on first use."""

    def __init__(self, user_dicts: list[str] | None = None, stopwords_path: str | None = None,
                 char_ngrams: list[int] | None = None, ngram_scope: str = "word", lowercase: bool = True) -> None:
        if ngram_scope not in ("word", "text"):
            raise ValueError(f"ngram_scope is {ngram_scope!r}; use 'word' (inside content words) or 'text'")
        self.user_dicts = list(user_dicts or [])
        self.stopwords_path = stopwords_path
        self.char_ngrams = list(char_ngrams or [])
        self.ngram_scope = ngram_scope
        self.lowercase = lowercase
        self._jieba: jieba.Tokenizer | None = None
        self._stopwords: frozenset[str] = frozenset()

    def warm_up(self) -> None:
        if self._jieba is not None:
            return
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for dict_path in self.user_dicts:
            for word in read_user_words(Path(dict_path)):
                tokenizer.add_word(word)
        stop_file = Path(self.stopwords_path) if self.stopwords_path else DEFAULT_STOPWORDS
        self._stopwords = frozenset(stop_file.read_text(encoding="utf-8").split())
        self._jieba = tokenizer

    def _keep(self, word: str) -> bool:
        return bool(word.strip()) and bool(_WORD.search(word)) and word not in self._stopwords

    def _segments(self, text: str) -> list[str]:
        self.warm_up()
        assert self._jieba is not None
        return self._jieba.lcut(text.lower() if self.lowercase else text)

    def words(self, text: str) -> list[str]:
        """Jieba words without stopwords and punctuation (no character n-grams)."""
        return [word for word in self._segments(text) if self._keep(word)]

    def __call__(self, text: str) -> list[str]:
        """Words, then character n-grams: inside each content word ("word" scope) or across
        adjacent content words ("text" scope). Stopwords and punctuation break the runs, so
        "明天北京天气怎么样" never yields "怎么" and matches every "怎么办" question."""
        segments = self._segments(text)
        words = [word for word in segments if self._keep(word)]
        if self.ngram_scope == "word":
            pieces = words
        else:
            pieces, run = [], ""
            for word in segments:
                if self._keep(word):
                    run += word
                else:
                    pieces, run = pieces + [run], ""
            pieces.append(run)
        grams = [f"#{run[i:i + size]}" for size in self.char_ngrams for piece in pieces
                 for run in _CJK_RUN.findall(piece) for i in range(len(run) - size + 1)]
        return words + grams

    def to_dict(self) -> dict[str, Any]:
        return {"user_dicts": self.user_dicts, "stopwords_path": self.stopwords_path,
                "char_ngrams": self.char_ngrams, "ngram_scope": self.ngram_scope, "lowercase": self.lowercase}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "JiebaTokenizer":
        return cls(**data)
