"""Follow-up rewriting: "这个多久能到？" after "我买的耳机发顺丰吗" becomes a standalone query by
prepending the previous question's key terms."""
from __future__ import annotations

import re

from retrieval.tokenize import JiebaTokenizer

_ANAPHORA = re.compile(r"^(那|那么|这个|那个|它|这|还有|另外|如果)|(这个|那个|它|这样|那样|呢[？?]?$)")
SHORT_QUESTION_CHARS = 8
# "那你们家的呢" after a question about another platform asks the same about this shop: the other
# platform's name is not carried over (it would make the query about them again)
_THIS_SHOP = re.compile(r"你们(家|店|这|这边|那边|的)|贵店|你家|咱们(家|店)")
_OTHER_SHOP = re.compile(r"淘宝|天猫|拼多多|京东|抖音|快手|唯品会|苏宁|闲鱼|亚马逊|自营|别家|其他家|别的店")


# "也一样吗", "这样的话…", "你刚才说的…": the question compares with or builds on the last answer
_CONTINUATION = re.compile(r"也(一样|是这样|这样|可以|能|行|算)|一样(吗|么|嘛|不|的)|同样|这种情况|那种情况|这样的话|"
                           r"那样的话|这么说|照这么|按你说的|按这个|你(刚才|刚刚|上面)说")


def is_follow_up(question: str) -> bool:
    """Short questions or ones that point back ("这个", "那…呢", "也一样吗") lean on earlier turns."""
    stripped = question.strip()
    return len(stripped) <= SHORT_QUESTION_CHARS or bool(_ANAPHORA.search(stripped) or _CONTINUATION.search(stripped))


def rewrite_follow_up(question: str, history: list[str] | None, tokenizer: JiebaTokenizer,
                      max_terms: int = 4) -> str:
    """Prepend up to `max_terms` key words of the latest earlier user turn missing from the question."""
    if not history or not is_follow_up(question):
        return question
    previous = next((turn for turn in reversed(history) if turn.strip() and turn.strip() != question.strip()), "")
    turns_to_this_shop = _THIS_SHOP.search(question) is not None
    terms: list[str] = []
    for term in tokenizer.words(previous):
        if turns_to_this_shop and _OTHER_SHOP.search(term):
            continue
        if len(term) > 1 and term not in question and term not in terms:
            terms.append(term)
    return f"{' '.join(terms[:max_terms])} {question}".strip() if terms else question
