"""Risk words as words: a token of the message, not a substring of an address, a product or a
name, and not one the customer negates or withdraws.

"投诉" is a risk word in "我要投诉你们", not in "投诉路8号" (an address), "投诉就不用了" (withdrawn)
or "不是要投诉" (negated); "报警" is one in "我要报警", not in "烟雾报警器" (a product).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasa_plugins.nlu.chinese_segmenter import Segmenter
from rasa_plugins.text.normalize import normalize_text

# A token that is the risk word plus one of these is still the act ("律师函", "投诉电话").
SAME_ACT_SUFFIXES = ("函", "信", "书", "电话", "热线", "部门", "平台")
# A risk word followed by one of these names a place: it is part of an address.
PLACE_SUFFIX = re.compile(r"^[东西南北中前后上下新老大小]?(路|街|大街|大道|道|巷|弄|胡同|里|小区|花园|苑|园|村|镇|乡|广场|"
                          r"大厦|公寓|社区|家属院|宿舍|新村|站|号|栋|幢|单元|楼)")
# A risk word followed by one of these names a device or product ("报警器", "报警灯").
PRODUCT_SUFFIX = re.compile(r"^(器|机|仪|灯|铃|贴|膜|锤|装置|系统|按钮|开关|手环)")
NEGATION_BEFORE = re.compile(r"(不|没|别|无需|不用|不必|不会|不想|不打算|没有|不是|并非|无意|本来想|本来要|本来打算|原本想|"
                             r"原本打算|差点)[^，。！？,.!?\s]{0,3}$")
THREAT_BEFORE = re.compile(r"(别逼|逼我|逼得|不然|否则|要不然)[^，。！？,.!?\s]{0,3}$")
WITHDRAWN_AFTER = re.compile(r"^[^，。！？,.!?]{0,3}(就不用了|就算了|算了|不用了|就免了|先不|就不|的事已经|已经解决|已解决|撤销|撤回|是?开玩笑|说着玩)")
CONTEXT = 8


@dataclass(frozen=True)
class WordHit:
    word: str
    start: int


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    return Segmenter()


def _is_risk_token(token: str, word: str) -> bool:
    return token == word or (token.startswith(word) and token[len(word):] in SAME_ACT_SUFFIXES)


def _names_a_thing(text: str, word: str, start: int) -> bool:
    """The word at `start` is part of an address or a product's name."""
    after = text[start + len(word):start + len(word) + CONTEXT]
    return bool(PLACE_SUFFIX.match(after) or PRODUCT_SUFFIX.match(after))


def _withdrawn(text: str, word: str, start: int) -> bool:
    """The customer negates or withdraws the word at `start` ("不投诉了", "本来想投诉", "投诉就算了")."""
    after, before = text[start + len(word):start + len(word) + CONTEXT], text[max(0, start - CONTEXT):start]
    if NEGATION_BEFORE.search(before) and not THREAT_BEFORE.search(before):
        return True
    return WITHDRAWN_AFTER.match(after) is not None


def risk_words_in(text: str, words: tuple[str, ...]) -> list[WordHit]:
    """Every risk word the customer used as a word and meant (see the module docstring). A word the
    message withdraws anywhere is withdrawn everywhere in it: "本来想投诉你们的 想想算了 不投诉了"."""
    hits, withdrawn = _read(text, words)
    return [hit for hit in hits if hit.word not in withdrawn]


def withdrawn_risk_words(text: str, words: tuple[str, ...]) -> set[str]:
    """The risk words the message negates or withdraws: the customer is stepping back, not escalating."""
    return _read(text, words)[1]


def _read(text: str, words: tuple[str, ...]) -> tuple[list[WordHit], set[str]]:
    normalized = normalize_text(text or "")
    hits, withdrawn = [], set()
    for token, start in _segmenter().segment(normalized):
        for word in words:
            if word and token.startswith(word):
                if _is_risk_token(token, word) and not _names_a_thing(normalized, word, start):
                    if _withdrawn(normalized, word, start):
                        withdrawn.add(word)
                    else:
                        hits.append(WordHit(word, start))
                break
    return hits, withdrawn


def first_risk_word(text: str, words: tuple[str, ...]) -> str | None:
    hits = risk_words_in(text, words)
    return hits[0].word if hits else None
