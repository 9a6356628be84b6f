from retrieval.gates import AnswerGates, char_bigrams, sentence_support

PASSAGE = "七天无理由退货的运费由顾客承担，购买了运费险的可赔付最多12元。"


def test_char_bigrams_ignore_punctuation():
    assert char_bigrams("退货，运费") == {"退货", "货运", "运费"}


def test_quoted_sentence_is_fully_supported_and_invented_fact_is_not():
    assert sentence_support("运费由顾客承担。", [PASSAGE]) == 1.0
    assert sentence_support("我们会赔您50元现金红包。", [PASSAGE]) < 0.3


def test_extractive_style_answer_passes_every_gate():
    report = AnswerGates().check("您好，七天无理由退货的运费由顾客承担。", [PASSAGE])
    assert report.passed and report.support == [1.0] and report.unsupported == []


def test_each_gate_fails_on_its_own_problem():
    gates = AnswerGates(banned_words=["傻"], sensitive_topics=["赌博"], min_support=0.6)
    assert gates.check("您好，运费由顾客承担，傻。", [PASSAGE]).banned == ["傻"]
    assert gates.check("运费由顾客承担，赌博。", [PASSAGE]).sensitive == ["赌博"]
    hedged = gates.check("运费大概由顾客承担。", [PASSAGE])
    assert hedged.hedging == ["大概"] and not hedged.passed
    invented = gates.check("运费由顾客承担。另外赠送您一张100元优惠券。", [PASSAGE])
    assert invented.unsupported == ["另外赠送您一张100元优惠券。"] and not invented.passed


def test_hedging_words_quoted_from_the_passage_are_allowed():
    report = AnswerGates().check("这很可能是诈骗。", ["这很可能是诈骗。请挂断电话。"])
    assert report.passed and report.hedging == []
