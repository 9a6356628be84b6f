"""Build, persist and reload the index under `var/index/`; only changed documents are re-embedded.

Files: `manifest.json` (embedder, dims, per-document versions), `chunks.jsonl`,
`view_embeddings.npy`, `bm25_views.npz` / `bm25_chunks.npz` (+ `*_terms.json`).
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from retrieval.bm25 import SparseBM25
from retrieval.config import RetrievalConfig
from retrieval.documents import Chunk
from retrieval.embedders.base import Embedder
from retrieval.hybrid import HybridRetriever, view_texts
from retrieval.ingest.loader import load_knowledge
from retrieval.registry import create

FORMAT_VERSION = 1
EMBED_BATCH = 64


@dataclass
class IndexReport:
    index_dir: str
    documents: int
    documents_embedded: int
    documents_reused: int
    documents_removed: int
    chunks: int
    views: int
    dense_kind: str
    seconds: float
    embed_seconds: float
    problems: list[str] = field(default_factory=list)
    up_to_date: bool = False

    @property
    def chunks_per_second(self) -> float:
        return self.chunks / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "chunks_per_second": round(self.chunks_per_second, 1)}

    def __str__(self) -> str:
        if self.up_to_date:
            return (f"index in {self.index_dir} is up to date ({self.chunks} chunks from {self.documents} documents; "
                    f"checked in {self.seconds:.1f} s)")
        lines = [f"indexed {self.chunks} chunks ({self.views} views, {self.dense_kind}) from {self.documents} "
                 f"documents into {self.index_dir}: {self.documents_embedded} embedded, "
                 f"{self.documents_reused} unchanged, {self.documents_removed} removed, {self.seconds:.1f} s"]
        return "\n".join(lines + [f"  {problem}" for problem in self.problems])


def retriever_from_config(config: RetrievalConfig, embedder: Embedder | None = None) -> HybridRetriever:
    """The retriever `config.retriever` names, built by the registry; its tokenizer, BM25 and dense
    parameters come from their own sections. Pass `embedder` to reuse a loaded one."""
    return create("retriever", config.retriever,
                  embedder=embedder if embedder is not None else config.embedder,
                  tokenizer=asdict(config.tokenizer), bm25=asdict(config.bm25), dense=asdict(config.dense))


def _previous_rows(index_dir: Path, embedder_name: str) -> dict[str, tuple[str, np.ndarray]]:
    """doc_id -> (version, its view embeddings) from the last build, if the embedder is the same."""
    manifest_path = index_dir / "manifest.json"
    if not manifest_path.exists():
        return {}
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("embedder") != embedder_name:
        return {}
    chunks = read_chunks(index_dir)
    embeddings = np.load(index_dir / "view_embeddings.npy")
    _, offsets = view_texts(chunks)
    rows: dict[str, list[np.ndarray]] = {}
    versions: dict[str, str] = {}
    for i, chunk in enumerate(chunks):
        rows.setdefault(chunk.doc_id, []).append(embeddings[offsets[i]:offsets[i + 1]])
        versions[chunk.doc_id] = chunk.version
    return {doc: (versions[doc], np.concatenate(parts)) for doc, parts in rows.items()}


def read_chunks(index_dir: Path) -> list[Chunk]:
    with open(index_dir / "chunks.jsonl", encoding="utf-8") as lines:
        return [Chunk.from_dict(json.loads(line)) for line in lines if line.strip()]


def length_sorted_batches(texts: list[str], batch: int) -> list[np.ndarray]:
    """Indices of `texts` in groups of at most `batch`, shortest texts first.

    Each group is padded to its longest text, so groups of similar length waste little compute.
    Slicing the texts in their given order instead (a FAQ's short question next to its long
    question+answer view) made the encoder run 2.3x the real tokens on knowledge/; sorted: 1.3x.
    Character length is the proxy: it needs no tokenizer and follows token length closely.
    """
    if batch < 1:
        raise ValueError(f"batch must be >= 1, got {batch}")
    order = np.argsort([len(text) for text in texts], kind="stable")
    return [order[start:start + batch] for start in range(0, len(order), batch)]


def embed_passages_sorted(embedder: Embedder, texts: list[str], progress: bool = False) -> np.ndarray:
    """Passage embeddings of `texts` in their given order, computed in length-sorted batches."""
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    batches = length_sorted_batches(texts, EMBED_BATCH)
    for rows in tqdm(batches, desc="embedding", unit="batch", disable=not progress):
        vectors[rows] = embedder.embed_passages([texts[i] for i in rows])
    return vectors


def source_fingerprint(knowledge_dir: str | Path, config: RetrievalConfig) -> str:
    """A digest of every knowledge file, the retrieval settings and the indexing code.

    Equal digests mean a rebuild would produce the same index, so `kefu up` can skip loading the
    embedder and the chunker altogether (seconds on every start).
    """
    digest = hashlib.sha256(json.dumps([FORMAT_VERSION, config.to_dict()], sort_keys=True, default=str).encode())
    code = Path(__file__).resolve().parent
    for root in (Path(knowledge_dir), code):
        pattern = "*.py" if root == code else "*"
        for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _unchanged_index(index_path: Path, fingerprint: str, embedder: Embedder | None,
                     started: float) -> IndexReport | None:
    try:
        manifest = json.loads((index_path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("source_fingerprint") != fingerprint or not (index_path / "view_embeddings.npy").is_file():
        return None
    if embedder is not None and manifest.get("embedder") != embedder.name:
        return None
    documents = manifest.get("documents", {})
    return IndexReport(index_dir=str(index_path), documents=len(documents), documents_embedded=0,
                       documents_reused=len(documents), documents_removed=0, chunks=int(manifest["chunks"]),
                       views=int(manifest["views"]), dense_kind=str(manifest.get("dense_kind", "?")),
                       seconds=time.perf_counter() - started, embed_seconds=0.0,
                       problems=list(manifest.get("problems", [])), up_to_date=True)


def build_index(knowledge_dir: str | Path, index_dir: str | Path, config: RetrievalConfig | None = None,
                embedder: Embedder | None = None, show_progress: bool = True, force: bool = False) -> IndexReport:
    """Load the knowledge folder, embed new or changed documents, persist everything.

    Nothing is loaded when the knowledge files, settings and code are those of the saved index.
    """
    started = time.perf_counter()
    config = config or RetrievalConfig()
    index_path = Path(index_dir)
    fingerprint = source_fingerprint(knowledge_dir, config)
    if not force and (unchanged := _unchanged_index(index_path, fingerprint, embedder, started)):
        return unchanged
    retriever = retriever_from_config(config, embedder)
    retriever.warm_up()
    assert retriever.embedder is not None
    loaded = load_knowledge(knowledge_dir, **asdict(config.chunking))
    previous = _previous_rows(index_path, retriever.embedder.name)
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in loaded.chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    changed = [doc for doc, chunks in by_doc.items()
               if doc not in previous or previous[doc][0] != chunks[0].version]
    changed_chunks = [chunk for doc in changed for chunk in by_doc[doc]]
    embed_started = time.perf_counter()
    fresh = embed_passages_sorted(retriever.embedder, view_texts(changed_chunks)[0], show_progress)
    embed_seconds = time.perf_counter() - embed_started
    fresh_rows: dict[str, np.ndarray] = {}
    cursor = 0
    for doc in changed:
        count = sum(len(chunk.views) for chunk in by_doc[doc])
        fresh_rows[doc] = fresh[cursor:cursor + count]
        cursor += count
    embeddings = np.concatenate([np.zeros((0, retriever.embedder.dim), np.float32)] + [
        fresh_rows[doc] if doc in fresh_rows else previous[doc][1] for doc in by_doc]).astype(np.float32)
    ordered = [chunk for chunks in by_doc.values() for chunk in chunks]
    retriever.index(ordered, embeddings)
    save_index(index_path, retriever, {
        doc: {"version": chunks[0].version, "source": chunks[0].source, "chunks": len(chunks)}
        for doc, chunks in by_doc.items()}, [str(p) for p in loaded.problems], fingerprint)
    return IndexReport(
        index_dir=str(index_path), documents=len(by_doc), documents_embedded=len(changed),
        documents_reused=len(by_doc) - len(changed), documents_removed=len(set(previous) - set(by_doc)),
        chunks=len(ordered), views=len(embeddings), dense_kind=retriever.dense.kind,
        seconds=time.perf_counter() - started, embed_seconds=embed_seconds,
        problems=[str(p) for p in loaded.problems])


def save_index(index_path: Path, retriever: HybridRetriever, documents: dict[str, dict[str, Any]],
               problems: list[str], source_fingerprint: str | None = None) -> None:
    assert retriever.embedder is not None
    index_path.mkdir(parents=True, exist_ok=True)
    with open(index_path / "chunks.jsonl", "w", encoding="utf-8") as out:
        for chunk in retriever.chunks:
            out.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
    np.save(index_path / "view_embeddings.npy", retriever.dense.vectors)
    for name, model in (("bm25_views", retriever.bm25), ("bm25_chunks", retriever.chunk_bm25)):
        state = model.state()
        terms = state.pop("terms")
        np.savez(index_path / f"{name}.npz", **state)
        (index_path / f"{name}_terms.json").write_text(json.dumps([str(t) for t in terms], ensure_ascii=False))
    manifest = {"format_version": FORMAT_VERSION, "embedder": retriever.embedder.name,
                "embedder_spec": retriever.embedder.to_dict(), "dim": int(retriever.embedder.dim),
                "tokenizer": retriever.tokenizer.to_dict(), "bm25": retriever.bm25_params,
                "retriever": {key: value for key, value in retriever.to_dict().items() if key != "embedder"},
                "chunks": len(retriever.chunks), "views": int(len(retriever.dense.vectors)),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "documents": documents, "problems": problems,
                "dense_kind": retriever.dense.kind, "source_fingerprint": source_fingerprint}
    (index_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def load_index(index_dir: str | Path, config: RetrievalConfig, embedder: Embedder | None = None) -> HybridRetriever:
    """Restore a built index without re-embedding; fails clearly if there is none or the embedder
    changed. Serving only ever loads: `kefu index` (`build_index`) is what writes the index."""
    index_path = Path(index_dir)
    if not (index_path / "manifest.json").is_file():
        raise FileNotFoundError(f"no knowledge index in {index_path}; run `kefu index` to build it")
    manifest = json.loads((index_path / "manifest.json").read_text(encoding="utf-8"))
    retriever = retriever_from_config(config, embedder)
    retriever.warm_up()
    assert retriever.embedder is not None
    if manifest["embedder"] != retriever.embedder.name or manifest["tokenizer"] != retriever.tokenizer.to_dict():
        raise ValueError(f"index at {index_path} was built with {manifest['embedder']} / {manifest['tokenizer']}; "
                         "run `kefu index` again to rebuild it for the current configuration")
    models = []
    for name in ("bm25_views", "bm25_chunks"):
        with np.load(index_path / f"{name}.npz") as arrays:
            state: dict[str, Any] = {key: arrays[key] for key in arrays.files}
        state["terms"] = json.loads((index_path / f"{name}_terms.json").read_text(encoding="utf-8"))
        models.append(SparseBM25.from_state(state, **asdict(config.bm25)))
    retriever.index(read_chunks(index_path), np.load(index_path / "view_embeddings.npy"), *models)
    return retriever
