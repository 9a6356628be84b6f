from retrieval.documents import Chunk, Hit
from retrieval.generators.base import create_generator


def _hit(kind: str, text: str, answer: str = "") -> Hit:
    return Hit(Chunk("c1", "d", "v", "s.md", "t", text, [text], kind=kind, answer=answer), 1.0)


def test_faq_answer_is_quoted_with_greeting_and_cited():
    generator = create_generator({"type": "extractive"})
    result = generator.run("运费谁出", [_hit("faq", "q\na", answer="运费由顾客承担。运费险最多赔12元。")])
    assert (result.text, result.used_chunk_ids) == ("您好，运费由顾客承担。运费险最多赔12元。", ["c1"])


def test_passage_sentences_are_picked_by_overlap_and_kept_in_order():
    passage = "第一句讲发货。第二句讲发票开具。第三句讲积分。第四句讲退款到账。第五句讲发票抬头。"
    generator = create_generator({"type": "extractive", "max_sentences": 2, "greeting": ""})
    assert generator.run("发票怎么开", [_hit("passage", passage)]).text == "第二句讲发票开具。第五句讲发票抬头。"


def test_strict_mode_quotes_only_the_first_sentence_and_no_hits_gives_empty():
    generator = create_generator({"type": "extractive"})
    assert generator.run("q", [_hit("faq", "x", answer="甲。乙。")], strict=True).text == "甲。"
    assert generator.run("q", []).text == ""
