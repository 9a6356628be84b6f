"""Is a message nothing but social phrases (greetings, thanks, wishes, goodbyes, acknowledgements)?

Such phrases are a closed class but customers combine them freely ("客服辛苦啦 新年快乐🧧",
"好吧 那就算了 知道了", "嗯嗯 收到 谢谢亲"). An unseen combination is far from every training
message, so the classifier or the novelty guard may send it to the fallback, and the customer who
said thank you hears "I cannot answer that". This module reads the message the other way round:
remove every known social phrase, then filler (particles, emoji, punctuation); if nothing is left,
the message was social, and the strongest phrase class says which. One content word left over
("谢谢 那退款呢") and the message is not social.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from rasa_plugins.text.normalize import normalize_text

# strongest first: a message with a goodbye in it is a goodbye, with thanks a thank-you, …
SOCIAL_PHRASES: dict[str, tuple[str, ...]] = {
    "goodbye": ("再见", "拜拜", "拜", "回头见", "下次见", "bye", "goodbye", "see you"),
    "thanks": ("非常感谢", "感谢", "多谢", "谢谢", "谢啦", "谢了", "辛苦了", "辛苦啦", "辛苦", "麻烦你了", "麻烦您了",
               "麻烦了", "有劳", "新年快乐", "节日快乐", "春节快乐", "中秋快乐", "圣诞快乐", "元旦快乐", "周末愉快",
               "生活愉快", "工作顺利", "身体健康", "万事如意", "也祝你", "也祝您", "祝你", "祝您", "thank you", "thanks",
               "thx", "happy new year"),
    "stop": ("那就算了", "算了算了", "算了", "不用了", "没事了", "就这样吧", "就这样", "先这样吧", "先这样"),
    "greet": ("你好", "您好", "在吗", "在不在", "有人吗", "哈喽", "哈啰", "早上好", "上午好", "中午好", "下午好", "晚上好",
              "hello", "hi", "hey"),
    "acknowledge": ("知道了", "明白了", "明白", "了解了", "了解", "懂了", "收到", "好吧", "好的", "好滴", "行吧", "那好吧",
                    "可以", "没问题", "嗯嗯", "嗯", "哦哦", "哦", "噢", "喔", "ok", "okay", "行", "好"),
}
# what may be left around the phrases: particles, forms of address, laughter
_FILLER = re.compile(r"[啊呀哈啦呢吧哟嘛呐哦噢喔嗯的了亲哒滴呗咯么那~～\s]|小优|客服|宝|老师|美女|帅哥")
_ALL_PHRASES = sorted({p for phrases in SOCIAL_PHRASES.values() for p in phrases}, key=len, reverse=True)
_PHRASE = re.compile("|".join(re.escape(p) for p in _ALL_PHRASES), re.IGNORECASE)


def _is_filler_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "PSZC"  # punctuation, symbols (emoji), separators, control characters


def social_class(text: str) -> Optional[str]:
    """goodbye, thanks, stop, greet or acknowledge for a purely social message, else None."""
    normalized = normalize_text(text or "").strip().lower()
    found = [match.group(0) for match in _PHRASE.finditer(normalized)]
    if not found:
        return None
    rest = _FILLER.sub("", _PHRASE.sub("", normalized))
    if any(not _is_filler_char(ch) for ch in rest):
        return None
    for social, phrases in SOCIAL_PHRASES.items():
        if any(p.lower() in found for p in phrases):
            return social
    return None
