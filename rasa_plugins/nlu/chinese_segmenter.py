"""Chinese/mixed-script word segmentation without Rasa: the logic behind ChineseTokenizer.

Fixes three known problems of Rasa's JiebaTokenizer:

* whitespace comes back as tokens (rasa#7910): whitespace and punctuation-only pieces are dropped;
* annotated entity spans cut through Jieba's words, so the entity cannot be learned
  (rasa#7689, rasa#10578): every span boundary given to :meth:`Segmenter.segment` is a token
  boundary;
* order numbers, phone numbers and latin words are split by Jieba's dictionary: a run of
  latin letters and digits (with inner ``-_.@:/'``) is always one token.

Each segmenter owns a private ``jieba.Tokenizer``, so user words never leak into the global
Jieba dictionary that other components (or the stock JiebaTokenizer) use.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence

import jieba

jieba.setLogLevel(logging.WARNING)

ALNUM_RUN = re.compile(r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]+(?:['’\-_.@:/][A-Za-z0-9Ａ-Ｚａ-ｚ０-９]+)*")
"""Latin words and numbers, e.g. ``HW2024051234``, ``13812345678``, ``iPhone15``, ``what's``."""


def is_noise(piece: str) -> bool:
    """True for whitespace and for pieces made only of punctuation or symbols."""
    return all(ch.isspace() or unicodedata.category(ch)[0] in "PSZ" for ch in piece)


class Segmenter:
    """Splits text into ``(word, start)`` pairs; see the module docstring for the rules."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        self.user_words: list[str] = []
        self.add_words(user_words)

    def add_words(self, words: Iterable[str]) -> None:
        """Adds words Jieba must keep whole (lookup entries, entity values, synonyms)."""
        fresh = sorted({w.strip() for w in words if self._is_dictionary_word(w.strip())} - set(self.user_words))
        with self._lock:
            for word in fresh:
                self._jieba.add_word(word)
        self.user_words.extend(fresh)

    @staticmethod
    def _is_dictionary_word(word: str) -> bool:
        # Pure latin/digit words are already kept whole; whitespace would make Jieba's dict invalid.
        return bool(word) and not any(ch.isspace() for ch in word) and not ALNUM_RUN.fullmatch(word)

    def segment(self, text: str, boundaries: Sequence[int] = ()) -> list[tuple[str, int]]:
        """Words of ``text`` with their start offsets; each offset in ``boundaries`` starts or
        ends a word (pass the start and end of every annotated entity)."""
        cuts = sorted({0, len(text), *(b for b in boundaries if 0 < b < len(text))})
        words: list[tuple[str, int]] = []
        for start, end in zip(cuts, cuts[1:]):
            words.extend(self._segment_piece(text[start:end], start))
        return words

    def _segment_piece(self, piece: str, offset: int) -> list[tuple[str, int]]:
        if not piece or is_noise(piece):
            return []
        with self._lock:
            cuts = {start for _, start, _ in self._jieba.tokenize(piece)} | {len(piece)}
        # Jieba sometimes splits a latin/digit run ("iPhone" + "15"); such a run stays whole.
        for run in ALNUM_RUN.finditer(piece):
            cuts -= set(range(run.start() + 1, run.end()))
        ordered = sorted(cuts)
        return [(piece[start:end], offset + start) for start, end in zip(ordered, ordered[1:])
                if not is_noise(piece[start:end])]


def words_from_lines(lines: Iterable[str]) -> list[str]:
    """User-dictionary words from Jieba dictionary lines (``word [freq] [tag]``); skips comments."""
    words = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words
