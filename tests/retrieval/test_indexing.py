import json
import shutil
from pathlib import Path

from retrieval.config import RetrievalConfig
from retrieval.indexing import build_index, load_index

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

    other_settings = RetrievalConfig(embedder={"type": "test-hashing"}, bm25_k1=config.bm25_k1 + 0.3)
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
