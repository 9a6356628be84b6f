from retrieval.ingest.chunking import chunk_text, split_sentences


def test_split_sentences_on_chinese_and_western_ends():
    text = "满99元包邮。不满收8元！会员呢？全部包邮；结束\nNext line. Done"
    assert split_sentences(text) == ["满99元包邮。", "不满收8元！", "会员呢？", "全部包邮；", "结束", "Next line.", "Done"]


def test_chunk_text_packs_sentences_with_one_sentence_overlap():
    text = "第一句话很长一些。第二句话也不短。第三句话在这里。第四句话收尾。"
    chunks = chunk_text(text, max_chars=18, overlap_sentences=1)
    assert chunks == ["第一句话很长一些。第二句话也不短。", "第二句话也不短。第三句话在这里。", "第三句话在这里。第四句话收尾。"]


def test_chunk_text_hard_cuts_an_overlong_sentence():
    assert chunk_text("甲" * 25, max_chars=10, overlap_sentences=0) == ["甲" * 10, "甲" * 10, "甲" * 5]
