from retrieval.documents import Chunk
from retrieval.hybrid import HybridRetriever, view_texts


def _faq(chunk_id: str, question: str, phrasings: list[str], answer: str) -> Chunk:
    return Chunk(chunk_id, chunk_id, "v", "faq.yaml", question, f"{question}\n{answer}",
                 [question, *phrasings, f"{question} {answer}"], kind="faq", answer=answer)


CHUNKS = [
    _faq("shipping-fee", "包邮吗？", ["运费怎么算", "满多少免运费"], "订单满99元包邮，不满收8元运费。"),
    _faq("invoice", "怎么开发票？", ["能开专票吗", "发票在哪申请"], "确认收货后48小时内开具电子发票。"),
    _faq("password", "忘记密码怎么办？", ["怎么重置密码", "登录密码找回"], "通过手机短信验证码重置密码。"),
]


def test_view_offsets_map_views_to_chunks():
    texts, offsets = view_texts(CHUNKS[:2])
    assert len(texts) == 8 and offsets.tolist() == [0, 4, 8]


def test_real_e5_hybrid_finds_the_paraphrased_item_and_reports_both_scores(e5):
    retriever = HybridRetriever(embedder=e5, tokenizer={"char_ngrams": [2]}, top_k=3)
    retriever.index(CHUNKS)
    hits = retriever.run("我的登录密码想不起来了")["hits"]
    assert [hit.chunk.chunk_id for hit in hits][0] == "password"
    assert hits[0].dense_score > hits[1].dense_score and hits[0].bm25_score > 0
    assert retriever.run("快递费用是多少钱")["hits"][0].chunk.chunk_id == "shipping-fee"


def test_dense_only_mode_ranks_by_best_view_cosine(e5):
    retriever = HybridRetriever(embedder=e5, fusion="dense", weights={"dense_max": 1.0}, top_k=3)
    retriever.index(CHUNKS)
    hits = retriever.run("需要公司报销的票据")["hits"]
    assert hits[0].chunk.chunk_id == "invoice"
    assert [hit.dense_score for hit in hits] == sorted((hit.dense_score for hit in hits), reverse=True)
    assert set(hits[0].signals) == {"dense_max", "dense_centroid", "bm25_max", "bm25_chunk"}


def test_chunk_scores_are_the_best_view_and_round_trip(hashing_embedder):
    retriever = HybridRetriever(embedder=hashing_embedder, fusion="bm25", weights={"bm25_max": 1.0}, top_k=1)
    retriever.index(CHUNKS)
    (hit,) = retriever.run("满多少免运费")["hits"]
    view_scores = retriever.bm25.scores(retriever.tokenizer("满多少免运费"))[:4]
    assert hit.chunk.chunk_id == "shipping-fee" and hit.signals["bm25_max"] == float(view_scores.max())
    assert hit.bm25_score == float(retriever.chunk_bm25.scores(retriever.tokenizer("满多少免运费"))[0])
    restored = HybridRetriever.from_dict({**retriever.to_dict()})
    assert restored.to_dict() == retriever.to_dict()
