"""Calibrate the retrieval settings on calibration splits only (never on reported test data).

    python -m eval.calibrate_retrieval fusion    # weights: CIC, KB from train.json, queries dev.json
    python -m eval.calibrate_retrieval abstain   # thresholds: shop KB; answerable = eval/data/abstain_dev.jsonl
                                                 # + grounding dev split; unanswerable = the near-domain
                                                 # questions of abstain_dev.jsonl, and banking77 train +
                                                 # CLINC oos_val when ../shared/datasets exists

Both print the chosen values as a `retrieval:` YAML snippet for the config.
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import numpy as np

from eval.grounding import REPO, datasets_dir, load_grounding, out_of_domain_questions
from eval.retrieval_cic import SETTINGS, EmbeddingCache, build_items, candidate_set, embedder_for, load_split, metrics
from retrieval.abstain import passages_text, term_coverage
from retrieval.config import RetrievalConfig
from retrieval.fusion import SIGNALS
from retrieval.hybrid import HybridRetriever
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


ABSTAIN_DEV = REPO / "eval" / "data" / "abstain_dev.jsonl"
DENSE_GRID = np.round(np.arange(0.80, 0.9501, 0.005), 3)
COVERAGE_GRID = np.round(np.arange(0.0, 0.601, 0.05), 2)
BYPASS_GRID = np.append(np.round(np.arange(0.90, 0.9601, 0.005), 3), 1.0)  # 1.0: never bypass
MIN_ANSWERED = 0.95  # the release bound on answerable questions (eval/thresholds.yml)
MIN_OOD_ABSTAINED = 0.95


@dataclass
class AbstainSample:
    """What the policy sees for one question: the top hit's scores and the term coverage."""

    dense: float
    bm25: float
    coverage: float


@dataclass
class AbstainChoice:
    min_dense_score: float
    min_term_coverage: float
    coverage_bypass_dense_score: float
    answered: float
    near_abstained: float
    ood_abstained: float | None

    @property
    def objective(self) -> float:
        """Balanced accuracy on the calibration set: answered (answerable) and abstained (near-domain)."""
        return (self.answered + self.near_abstained) / 2


def load_abstain_dev(path: Path = ABSTAIN_DEV) -> tuple[list[str], list[str]]:
    """(answerable, unanswerable) questions of the calibration file; every row must be marked
    `"split": "calibration"` so it is never mistaken for reported test data."""
    answerable, unanswerable = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("split") != "calibration":
            raise ValueError(f"{path}: row {row.get('id')} is not marked \"split\": \"calibration\"")
        (answerable if row.get("doc_id") else unanswerable).append(row["question"])
    return answerable, unanswerable


def abstain_samples(retriever: HybridRetriever, questions: list[str]) -> list[AbstainSample]:
    samples = []
    for question in questions:
        hits = retriever.run(question)["hits"]
        if not hits:
            samples.append(AbstainSample(-1.0, 0.0, 0.0))
            continue
        coverage = term_coverage(retriever.tokenizer.words(question), passages_text(hits))
        samples.append(AbstainSample(hits[0].dense_score, hits[0].bm25_score, coverage))
    return samples


def _answered(samples: list[AbstainSample], lexical_bypass: float, dense: float, coverage: float,
              bypass: float) -> np.ndarray:
    """Which samples AbstainPolicy answers (vectorised copy of its decide())."""
    d = np.array([s.dense for s in samples])
    b = np.array([s.bm25 for s in samples])
    c = np.array([s.coverage for s in samples])
    return (d >= dense) & ((b > 0) | (d >= lexical_bypass)) & ((c >= coverage) | (d >= bypass) | (coverage <= 0))


def choose_abstain(answerable: list[AbstainSample], near: list[AbstainSample], ood: list[AbstainSample],
                   lexical_bypass: float = 0.90) -> tuple[AbstainChoice, list[AbstainChoice]]:
    """Best grid point by balanced accuracy among those that answer >= MIN_ANSWERED of the answerable
    questions and abstain on >= MIN_OOD_ABSTAINED of `ood` (when given); ties go to the most lenient
    thresholds. Also returns the best point per coverage value (the trade-off table)."""
    feasible: list[AbstainChoice] = []
    for dense, coverage, bypass in product(DENSE_GRID, COVERAGE_GRID, BYPASS_GRID):
        if bypass < dense or (coverage == 0 and bypass != 1.0):
            continue
        args = (lexical_bypass, float(dense), float(coverage), float(bypass))
        answered = float(np.mean(_answered(answerable, *args)))
        ood_abstained = float(1 - np.mean(_answered(ood, *args))) if ood else None
        if answered < MIN_ANSWERED or (ood_abstained is not None and ood_abstained < MIN_OOD_ABSTAINED):
            continue
        feasible.append(AbstainChoice(float(dense), float(coverage), float(bypass), answered,
                                      float(1 - np.mean(_answered(near, *args))), ood_abstained))
    if not feasible:
        raise ValueError(f"no thresholds answer {MIN_ANSWERED:.0%} of the answerable calibration questions")
    feasible.sort(key=lambda c: (-round(c.objective, 9), -c.answered, c.min_dense_score, c.min_term_coverage,
                                 c.coverage_bypass_dense_score))
    per_coverage: dict[float, AbstainChoice] = {}
    for choice in feasible:
        per_coverage.setdefault(choice.min_term_coverage, choice)
    return feasible[0], [per_coverage[c] for c in sorted(per_coverage)]


def _ood_sample() -> list[str]:
    if not (datasets_dir() / "banking77").is_dir() or not (datasets_dir() / "clinc150").is_dir():
        print(f"  (no banking77/clinc150 under {datasets_dir()}: English out-of-domain set skipped)")
        return []
    questions = [q for qs in out_of_domain_questions("dev").values() for q in qs]
    return random.Random(0).sample(questions, min(OOD_SAMPLE, len(questions)))


def calibrate_abstain(embedder_type: str) -> None:
    config = RetrievalConfig(knowledge_dir=str(REPO / "knowledge"), index_dir=tempfile.mkdtemp(prefix="kefu-cal-"),
                             embedder={"type": embedder_type})
    build_index(config.knowledge_dir, config.index_dir, config, show_progress=False)
    retriever = load_index(config.index_dir, config)
    answerable, unanswerable = load_abstain_dev()
    answerable += [item["question"] for item in load_grounding("dev")]
    ood_questions = _ood_sample()
    pos, near = abstain_samples(retriever, answerable), abstain_samples(retriever, unanswerable)
    ood = abstain_samples(retriever, ood_questions)
    best, table = choose_abstain(pos, near, ood, config.abstain.lexical_bypass_dense_score)
    print(f"calibration: {len(pos)} answerable ({ABSTAIN_DEV.name} + grounding dev split), {len(near)} near-domain "
          f"unanswerable ({ABSTAIN_DEV.name}), {len(ood)} English out-of-domain (banking77 train + CLINC oos_val)")
    print(f"constraints: answerable answered >= {MIN_ANSWERED}, out-of-domain abstained >= {MIN_OOD_ABSTAINED}")
    print("trade-off, best point per min_term_coverage (0 = dense score and keyword overlap only):")
    for c in table:
        ood_text = "-" if c.ood_abstained is None else f"{c.ood_abstained:.3f}"
        print(f"  coverage >= {c.min_term_coverage:.2f}  dense >= {c.min_dense_score:.3f}  bypass {c.coverage_bypass_dense_score:.3f}"
              f"  answered {c.answered:.3f}  near-domain abstained {c.near_abstained:.3f}  ood abstained {ood_text}"
              f"  balanced {c.objective:.3f}")
    print(f"retrieval:\n  abstain:\n    min_dense_score: {best.min_dense_score}"
          f"\n    min_term_coverage: {best.min_term_coverage}"
          f"\n    coverage_bypass_dense_score: {best.coverage_bypass_dense_score}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["fusion", "abstain"])
    parser.add_argument("--embedder", default="e5-onnx-int8")
    args = parser.parse_args()
    (calibrate_fusion if args.what == "fusion" else calibrate_abstain)(args.embedder)


if __name__ == "__main__":
    main()
