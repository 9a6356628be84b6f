"""Calibrate the retrieval settings on calibration splits only (never on reported test data).

    python -m eval.calibrate_retrieval fusion    # weights: CIC, KB from train.json, queries dev.json
    python -m eval.calibrate_retrieval abstain   # threshold: shop KB, grounding dev split vs
                                                 # banking77 train + CLINC oos_val

Both print the chosen values as a `retrieval:` YAML snippet for the config.
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
from itertools import product

import numpy as np

from eval.retrieval_cic import SETTINGS, EmbeddingCache, build_items, candidate_set, embedder_for, load_split, metrics
from retrieval.abstain import AbstainPolicy
from retrieval.config import RetrievalConfig
from retrieval.documents import Hit
from retrieval.fusion import SIGNALS
from retrieval.evaluate import REPO, load_grounding, out_of_domain_questions
from retrieval.indexing import build_index, load_index, retriever_from_config

GRID_WEIGHTS = (0.0, 0.25, 0.5, 1.0)
RRF_K = 60.0
OOD_SAMPLE = 1000


def calibrate_fusion(embedder_type: str) -> None:
    """Grid over the four signal weights, linear and RRF; objective: mean MRR of both settings."""
    cache = EmbeddingCache(embedder_for(embedder_type))
    retriever = retriever_from_config(RetrievalConfig(), cache.embedder)
    train, dev = load_split("train"), load_split("dev")
    data = {setting: candidate_set(retriever, build_items(train, n), dev, cache) for setting, n in SETTINGS.items()}
    results = []
    for method, values in product(("linear", "rrf"), product(GRID_WEIGHTS, repeat=len(SIGNALS))):
        if not any(values):
            continue
        retriever.weights, retriever.rrf_k = dict(zip(SIGNALS, values)), RRF_K
        scores = {setting: metrics(retriever, candidates, method) for setting, candidates in data.items()}
        results.append((float(np.mean([s["MRR"] for s in scores.values()])), method, retriever.weights, scores))
    results.sort(key=lambda r: -r[0])
    print("CIC dev (KB from train), mean MRR over both settings; best 8:")
    for objective, method, weights, scores in results[:8]:
        detail = "  ".join(f"{s}: R@1 {v['R@1']:.3f} R@5 {v['R@5']:.3f}" for s, v in scores.items())
        print(f"  {method:<7} {weights}  MRR {objective:.4f}  {detail}")
    _, method, weights, _ = results[0]
    print(f"retrieval:\n  fusion: {method}\n  fusion_weights: {json.dumps(weights)}"
          + (f"\n  rrf_k: {RRF_K}" if method == "rrf" else ""))


def _top_hits(service_retriever, questions: list[str]) -> list[Hit | None]:
    return [next(iter(service_retriever.run(q)["hits"]), None) for q in questions]


def calibrate_abstain(embedder_type: str) -> None:
    config = RetrievalConfig(knowledge_dir=str(REPO / "knowledge"), index_dir=tempfile.mkdtemp(prefix="kefu-cal-"),
                             embedder={"type": embedder_type})
    build_index(config.knowledge_dir, config.index_dir, config, show_progress=False)
    retriever = load_index(config.index_dir, config)
    in_domain = _top_hits(retriever, [item["question"] for item in load_grounding("dev")])
    ood_questions = [q for qs in out_of_domain_questions("dev").values() for q in qs]
    ood = _top_hits(retriever, random.Random(0).sample(ood_questions, min(OOD_SAMPLE, len(ood_questions))))
    best: dict[bool, tuple] = {}
    for lexical, threshold in product((True, False), np.arange(0.70, 0.951, 0.005)):
        policy = AbstainPolicy(float(threshold), lexical, config.lexical_bypass_dense_score)
        answered = float(np.mean([not policy.decide([h] if h else []).abstain for h in in_domain]))
        abstained = float(np.mean([policy.decide([h] if h else []).abstain for h in ood]))
        score = (answered + abstained) / 2  # balanced accuracy; ties keep the lower threshold
        if lexical not in best or score > best[lexical][0] + 1e-9:
            best[lexical] = (score, round(float(threshold), 3), answered, abstained)
    print(f"calibration: {len(in_domain)} in-domain (grounding dev split), {len(ood)} out-of-domain "
          "(banking77 train + CLINC oos_val sample)")
    for lexical, (score, threshold, answered, abstained) in best.items():
        print(f"  require_lexical_match={str(lexical).lower():<5} best min_dense_score {threshold}: balanced accuracy "
              f"{score:.3f}, in-domain answered {answered:.3f}, out-of-domain abstained {abstained:.3f}")
    lexical = max(best, key=lambda key: best[key][0])
    print(f"retrieval:\n  min_dense_score: {best[lexical][1]}\n  require_lexical_match: {str(lexical).lower()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["fusion", "abstain"])
    parser.add_argument("--embedder", default="e5-onnx-int8")
    args = parser.parse_args()
    (calibrate_fusion if args.what == "fusion" else calibrate_abstain)(args.embedder)


if __name__ == "__main__":
    main()
