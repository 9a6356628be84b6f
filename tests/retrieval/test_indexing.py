import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from retrieval.config import BM25Settings, RetrievalConfig
from retrieval.indexing import EMBED_BATCH, build_index, embed_passages_sorted, length_sorted_batches, load_index

REPO = Path(__file__).resolve().parents[2]


def _kb(tmp_path: Path) -> Path:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    return knowledge


def test_incremental_build_reembeds_only_changed_documents(tmp_path, hashing_embedder):
    knowledge, index_dir = _kb(tmp_path), tmp_path / "index"
    config = RetrievalConfig(embedder={"type": "test-hashing"})
    first = build_index(knowledge, index_dir, config, hashing_embedder, show_progress=False)
    assert first.documents_embedded == first.documents and first.documents_reused == 0
    embedded_first = hashing_embedder.passages_embedded

    again = build_index(knowledge, index_dir, config, hashing_embedder, show_progress=False)
    assert again.up_to_date and (again.documents_embedded, again.documents_reused) == (0, first.documents)
    assert (again.chunks, again.views, again.dense_kind) == (first.chunks, first.views, first.dense_kind)
    assert hashing_embedder.passages_embedded == embedded_first

    forced = build_index(knowledge, index_dir, config, hashing_embedder, show_progress=False, force=True)
    assert not forced.up_to_date and (forced.documents_embedded, forced.documents_reused) == (0, first.documents)
    assert hashing_embedder.passages_embedded == embedded_first, "a forced rebuild still reuses unchanged vectors"

    other_settings = RetrievalConfig(embedder={"type": "test-hashing"}, bm25=BM25Settings(k1=config.bm25.k1 + 0.3))
    rebuilt = build_index(knowledge, index_dir, other_settings, hashing_embedder, show_progress=False)
    assert not rebuilt.up_to_date, "changed retrieval settings rebuild the index"

    policy = knowledge / "policies" / "shipping-policy.md"
    policy.write_text(policy.read_text("utf-8") + "\n## 新增\n春节期间暂停发货。\n", "utf-8")
    (knowledge / "faq" / "invoices.jsonl").unlink()
    changed = build_index(knowledge, index_dir, config, hashing_embedder, show_progress=False)
    assert (changed.documents_embedded, changed.documents_removed) == (1, 8)
    manifest = json.loads((index_dir / "manifest.json").read_text("utf-8"))
    assert manifest["embedder"] == "test-hashing-bigrams" and manifest["dim"] == 64
    assert manifest["documents"]["policies/shipping-policy"]["chunks"] == 6


def test_loaded_index_answers_like_the_built_one(tmp_path, hashing_embedder):
    config = RetrievalConfig(embedder={"type": "test-hashing"})
    report = build_index(_kb(tmp_path), tmp_path / "index", config, hashing_embedder, show_progress=False)
    retriever = load_index(tmp_path / "index", config, hashing_embedder)
    assert len(retriever.chunks) == report.chunks and report.dense_kind == "flat"
    assert retriever.run("发票多久能开出来")["hits"][0].chunk.chunk_id == "invoice-timing"


def test_length_sorted_batches_cover_every_text_once_shortest_first() -> None:
    texts = ["ccc", "a", "bbbbb", "dd", "", "eeee", "ff"]
    batches = length_sorted_batches(texts, 3)
    assert [len(rows) for rows in batches] == [3, 3, 1]
    flat = np.concatenate(batches)
    assert sorted(flat.tolist()) == list(range(len(texts)))
    assert [len(texts[i]) for i in flat] == sorted(len(t) for t in texts)
    assert flat[:3].tolist() == [4, 1, 3], "equal lengths keep their input order (stable)"
    assert length_sorted_batches([], 4) == []
    with pytest.raises(ValueError):
        length_sorted_batches(texts, 0)


def test_sorted_embedding_returns_rows_in_input_order(hashing_embedder) -> None:
    # long and short texts interleaved, more than one batch, so sorting really reorders
    texts = [("退货运费" * (i % 7 + 1)) + str(i) for i in range(2 * EMBED_BATCH + 5)]
    expected = hashing_embedder.embed_passages(texts)
    calls: list[list[str]] = []
    original = hashing_embedder.embed_passages

    def recording(batch: list[str]) -> np.ndarray:
        calls.append(batch)
        return original(batch)

    hashing_embedder.embed_passages = recording
    vectors = embed_passages_sorted(hashing_embedder, texts)
    assert vectors.dtype == np.float32 and vectors.shape == expected.shape
    np.testing.assert_array_equal(vectors, expected)
    assert len(calls) == 3 and max(len(t) for t in calls[0]) <= min(len(t) for t in calls[1])
    assert embed_passages_sorted(hashing_embedder, []).shape == (0, hashing_embedder.dim)
