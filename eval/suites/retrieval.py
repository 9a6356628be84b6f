"""`kefu eval retrieval`: recall@k (1, 3, 5, 10), MRR and nDCG@10 of BM25, dense and hybrid
ranking side by side, on the project's QA set (or `--qa FILE`) and on CIC (`--dataset cic`,
also in every full run when ../shared/datasets holds it).

Relevance is per document: a query is answered at the rank of the first chunk whose doc_id is
the gold doc_id or one of its `also_acceptable` doc_ids (chunks of one document count once).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from eval.loaders.external import DatasetMissing, dataset_folder
from eval.loaders.qa import PROJECT_QA, QAItem, load_qa
from eval.suites.context import EvalContext, progress
from eval.suites.metrics import ranking_metrics


def methods(fusion: str) -> dict[str, str]:
    return {"bm25": "bm25", "dense": "dense", "hybrid": fusion}


def qa_source(ctx: EvalContext) -> tuple[Path, str | None]:
    """The QA file to use and the split to keep (the project's set reports its test split only)."""
    dataset = ctx.option("dataset")
    path = ctx.option("qa") or (Path(dataset) if dataset and str(dataset).endswith(".jsonl") else None)
    return (Path(path), None) if path else (PROJECT_QA, "test")


def doc_ranks(retriever: Any, items: list[QAItem], fusion: str) -> dict[str, list[int]]:
    ranks: dict[str, list[int]] = {name: [] for name in methods(fusion)}
    for item in items:
        candidates = retriever.candidates(item.question)
        for name, method in methods(fusion).items():
            docs: list[str] = []
            for hit in retriever.rank(candidates, top_k=len(candidates.chunk_indices), fusion=method):
                if hit.chunk.doc_id not in docs:
                    docs.append(hit.chunk.doc_id)
            ranks[name].append(next((i + 1 for i, d in enumerate(docs) if d in item.relevant_docs), 0))
    return ranks


def project_qa(ctx: EvalContext) -> dict[str, Any]:
    path, split = qa_source(ctx)
    items = [item for item in load_qa(path, split) if item.answerable]
    service = ctx.knowledge_service()
    progress(f"retrieval: {len(items)} questions from {path.name}")
    ranks = doc_ranks(service.retriever, items, service.retriever.fusion)
    misses = [{"id": item.id, "question": item.question, "expected": item.doc_id, "hybrid_rank": rank}
              for item, rank in zip(items, ranks["hybrid"]) if rank != 1]
    return {"source": str(path), "split": split, "questions": len(items),
            "methods": {name: ranking_metrics(r) for name, r in ranks.items()},
            "failures": sorted(misses, key=lambda m: (m["hybrid_rank"] == 0, m["hybrid_rank"]), reverse=True)[:10]}


def cic(ctx: EvalContext) -> dict[str, Any]:
    """CIC as FAQ matching (118 intents as items, test_public as queries): eval.retrieval_cic's setup."""
    from eval.retrieval_cic import EmbeddingCache, build_items, candidate_set, gold_ranks, load_split
    from retrieval.indexing import retriever_from_config

    dataset_folder("cic")
    service = ctx.knowledge_service()
    cache = EmbeddingCache(service.retriever.embedder)
    retriever = retriever_from_config(service.config, cache.embedder)
    train, queries = load_split("train"), load_split("test_public")
    progress(f"retrieval: CIC test_public, {len(queries)} queries over 118 items (embeddings cached in var/cache)")
    data = candidate_set(retriever, build_items(train, None), queries, cache)
    return {"source": "cic/test_public.json (items: label_des + train phrasings)", "questions": len(queries),
            "methods": {name: ranking_metrics(gold_ranks(retriever, data, method).tolist())
                        for name, method in methods(retriever.fusion).items()}}


def run(ctx: EvalContext) -> dict[str, Any]:
    sets: dict[str, Any] = {"project_qa": project_qa(ctx)}
    notes = []
    wants_cic = ctx.option("dataset") == "cic" or (not ctx.quick and not ctx.option("dataset"))
    if wants_cic:
        try:
            sets["cic"] = cic(ctx)
        except DatasetMissing as missing:
            notes.append(f"CIC skipped: {missing}")
    metrics = {f"{name}/{method}/{key}": value for name, data in sets.items()
               for method, values in data["methods"].items() for key, value in values.items()}
    return {"status": "ok", "metrics": metrics, "sets": sets, "notes": notes}
