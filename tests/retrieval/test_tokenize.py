from retrieval.tokenize import JiebaTokenizer, read_user_words


def test_words_drop_stopwords_and_punctuation():
    assert JiebaTokenizer().words("请问这个快递多久能到新疆？") == ["快递", "多久", "新疆"]


def test_char_bigrams_come_from_inside_content_words_and_are_prefixed():
    tokens = JiebaTokenizer(char_ngrams=[2])("我买的耳机发顺丰吗")
    assert tokens == ["买", "耳机", "发顺丰", "#耳机", "#发顺", "#顺丰"]


def test_text_scope_bigrams_also_cross_word_boundaries():
    tokens = JiebaTokenizer(char_ngrams=[2], ngram_scope="text")("明天北京")
    assert tokens == ["明天", "北京", "#明天", "#天北", "#北京"]


def test_user_dictionary_from_rasa_lookup_table_keeps_domain_terms_whole(tmp_path):
    lookup = tmp_path / "lookups.yml"
    lookup.write_text('version: "3.1"\nnlu:\n- lookup: product\n  examples: |\n    - 好物小熊电煮锅\n', "utf-8")
    assert read_user_words(lookup) == ["好物小熊电煮锅"]
    assert "好物小熊电煮锅" in JiebaTokenizer(user_dicts=[str(lookup)]).words("好物小熊电煮锅保修多久")


def test_round_trip():
    tokenizer = JiebaTokenizer(char_ngrams=[2], stopwords_path=None)
    assert JiebaTokenizer.from_dict(tokenizer.to_dict()).to_dict() == tokenizer.to_dict()
