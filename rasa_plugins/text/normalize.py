"""One spelling for every way a customer can type the same message, before NLU and retrieval.

- Traditional characters become simplified ones (OpenCC's `t2s`): 請問我的訂單出貨了沒 reads as
  请问我的订单出货了没, so the classifier, the tokenizer and BM25 see the words they were built on.
- Full-width letters, digits and spaces (ＨＷ２０２６…, common on phone keyboards) become ASCII, so
  order numbers and phone numbers match their patterns.

The result is always exactly as long as the input, character for character, so that entity spans
annotated on the original text (training data, `RegexEntityExtractor`) stay valid: a character
whose conversion would change the length (OpenCC phrase rules, rare) is converted on its own, and
kept as it is if even that would change the length.
"""
from __future__ import annotations

from functools import lru_cache

FULL_WIDTH_SPACE = "\u3000"
_FULL_WIDTH_FIRST, _FULL_WIDTH_LAST = 0xFF01, 0xFF5E  # ！ … ～, the full-width twins of ASCII 0x21–0x7E
_FULL_WIDTH_OFFSET = 0xFEE0
# Chinese punctuation also lives in the full-width block (，！？：；（）); it is how Chinese is
# written, so only letters and digits are folded to ASCII.
_FOLDED = {code: code - _FULL_WIDTH_OFFSET for code in range(_FULL_WIDTH_FIRST, _FULL_WIDTH_LAST + 1)
           if chr(code - _FULL_WIDTH_OFFSET).isalnum()}
_FOLDED[ord(FULL_WIDTH_SPACE)] = ord(" ")


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    try:
        import opencc
    except ImportError as error:  # pragma: no cover - opencc is in both lock files
        raise RuntimeError("the `opencc` package is missing: run ./kefu again to update the environments "
                           "(requirements/*.lock pin it)") from error
    return opencc.OpenCC("t2s")


def fold_full_width(text: str) -> str:
    """Full-width letters, digits and the ideographic space as ASCII; everything else unchanged."""
    return text.translate(_FOLDED)


def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones, keeping the text's length (see module doc)."""
    if text.isascii():
        return text
    converted = _convert(text)
    if converted is not None and len(converted) == len(text):
        return converted
    out = []
    for char in text:
        single = _convert(char)
        out.append(single if single is not None and len(single) == 1 else char)
    return "".join(out)


def _convert(text: str) -> str | None:
    """OpenCC's conversion, or None for text it cannot take (a lone surrogate from a raw client)."""
    try:
        return _converter().convert(text)
    except (UnicodeError, ValueError):
        return None


def normalize_text(text: str) -> str:
    """The form NLU and retrieval work on: simplified characters, ASCII letters and digits."""
    if not text:
        return text
    return to_simplified(fold_full_width(text))
