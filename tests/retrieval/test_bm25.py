import json

import numpy as np
from rank_bm25 import BM25Okapi

from retrieval.bm25 import SparseBM25, top_k
from retrieval.tokenize import JiebaTokenizer

CORPUS = [["退货", "运费"], ["退货", "流程", "退货"], ["发票", "开具"], ["运费", "包邮", "99"], []]


def test_scores_equal_rank_bm25_including_negative_idf_and_repeated_query_terms():
    model = SparseBM25()
    model.index(CORPUS)
    reference = BM25Okapi(CORPUS)
    for query in (["退货"], ["运费", "运费", "包邮"], ["未知"], ["发票", "退货"]):
        np.testing.assert_allclose(model.scores(query), reference.get_scores(query), rtol=1e-6, atol=1e-6)


def test_top_k_is_best_first_with_index_order_on_ties():
    indices, scores = top_k(np.array([0.5, 2.0, 0.5, 3.0], dtype=np.float32), 3)
    assert indices.tolist() == [3, 1, 0] and scores.tolist() == [3.0, 2.0, 0.5]


def test_state_round_trip_gives_identical_scores():
    model = SparseBM25()
    model.index(CORPUS)
    restored = SparseBM25.from_state(model.state(), 1.5, 0.75, 0.25)
    assert np.array_equal(restored.scores(["退货", "运费"]), model.scores(["退货", "运费"]))


def test_identical_top10_to_rank_bm25_on_cic_sample(datasets):
    tokenizer = JiebaTokenizer(char_ngrams=[2])
    lines = (datasets / "cic" / "train.json").read_text("utf-8").splitlines()
    corpus = [tokenizer(json.loads(line)["sentence"]) for line in lines[:2000]]
    queries = [tokenizer(json.loads(line)["sentence"]) for line in
               (datasets / "cic" / "test_public.json").read_text("utf-8").splitlines()[:100]]
    model, reference = SparseBM25(), BM25Okapi(corpus)
    model.index(corpus)
    for query in queries:
        expected = reference.get_scores(query)
        ours = model.scores(query)
        np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-5)
        # identical top-10 up to float ties: compare the score at each rank and the id sets
        ours_top, _ = top_k(ours, 10)
        ref_top = np.lexsort((np.arange(len(expected)), -expected))[:10]
        np.testing.assert_allclose(ours[ours_top], expected[ref_top], rtol=1e-5, atol=1e-5)
        assert set(ours_top[ours[ours_top] > ours[ours_top][-1] + 1e-4]) <= set(ref_top)
