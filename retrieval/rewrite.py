"""Follow-up rewriting: "这个多久能到？" after "我买的耳机发顺丰吗" becomes a standalone query by
prepending the previous question's key terms."""
from __future__ import annotations

import re

from retrieval.documents import Hit
from retrieval.tokenize import JiebaTokenizer

_ANAPHORA = re.compile(r"^(那|那么|这个|那个|它|这|还有|另外|如果)|(这个|那个|它|这样|那样|呢[？?]?$)")
SHORT_QUESTION_CHARS = 8
SELF_SUFFICIENT_WORDS = 6
NEW_FOCUS_WINDOW = 5  # how far down the ranking a follow-up's new focus is looked for
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
    """Prepend up to `max_terms` key words of the latest earlier user turn missing from the question.
    A question with SELF_SUFFICIENT_WORDS content words of its own says what it asks ("那要是寄来的东西
    本身就是坏的呢 多少天内能退"): the earlier turn's words would only pull it back to the last topic."""
    if not history or not is_follow_up(question) or len(tokenizer.words(question)) >= SELF_SUFFICIENT_WORDS:
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


def prefer_new_focus(hits: list[Hit], own_words: list[str], context_docs: list[str] | None) -> list[Hit]:
    """A follow-up that reaches the item the last answer cited again, although that item says none
    of the follow-up's own words, asks something new about the same topic ("会过期吗" after the
    points answer, "那破壁机这种小家电呢" after the electronics warranty): an item close behind that
    does say one of them is put first. A follow-up the cited item covers ("那晚上八点下单呢" after
    the dispatch times) keeps it, and so does one no other item covers."""
    if not hits or not context_docs or hits[0].chunk.doc_id not in context_docs or not own_words:
        return hits

    def says(hit: Hit) -> bool:
        text = f"{hit.chunk.title} {hit.chunk.answer_text}"  # what the customer would be told
        return any(word in text for word in own_words)

    if says(hits[0]):
        return hits
    for index, hit in enumerate(hits[1:NEW_FOCUS_WINDOW], start=1):
        if hit.chunk.doc_id not in context_docs and says(hit):
            return [hit, *hits[:index], *hits[index + 1:]]
    return hits
