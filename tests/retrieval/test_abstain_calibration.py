"""`python -m eval.calibrate_retrieval abstain`: the thresholds come from the calibration file."""
import json
from pathlib import Path

import pytest

from eval.calibrate_retrieval import ABSTAIN_DEV, AbstainSample, choose_abstain, load_abstain_dev
from retrieval.ingest.loader import load_knowledge

REPO = Path(__file__).resolve().parents[2]


def test_calibration_file_is_marked_and_large_enough():
    answerable, unanswerable = load_abstain_dev()
    assert len(unanswerable) >= 60 and len(answerable) >= 40
    rows = [json.loads(line) for line in ABSTAIN_DEV.read_text("utf-8").splitlines() if line.strip()]
    assert {row["split"] for row in rows} == {"calibration"}
    known = {chunk.doc_id for chunk in load_knowledge(REPO / "knowledge").chunks}
    for row in rows:
        assert {row["doc_id"], *row.get("also_acceptable", [])} <= known if row["doc_id"] else row["answer"] is None
    test_questions = {json.loads(line)["question"] for line in
                      (REPO / "eval" / "data" / "unanswerable.jsonl").read_text("utf-8").splitlines() if line.strip()}
    assert not test_questions & {row["question"] for row in rows}, "calibration must not copy the test set"


def test_unmarked_rows_are_refused(tmp_path):
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps({"id": "x", "question": "q", "answer": None, "doc_id": None}) + "\n", "utf-8")
    with pytest.raises(ValueError, match="calibration"):
        load_abstain_dev(path)


def test_coverage_threshold_is_chosen_when_near_domain_questions_need_it():
    answerable = [AbstainSample(0.93, 10.0, 0.8)] * 18 + [AbstainSample(0.905, 5.0, 0.6)] * 2
    near = [AbstainSample(0.905, 3.0, 0.1)] * 10  # as close as answerable ones, but uncovered
    best, table = choose_abstain(answerable, near, ood=[AbstainSample(0.82, 0.0, 0.0)] * 5)
    assert best.answered == 1.0 and best.near_abstained == 1.0 and best.ood_abstained == 1.0
    assert 0.1 < best.min_term_coverage <= 0.6 and best.min_dense_score <= 0.905 < best.coverage_bypass_dense_score
    assert table[0].min_term_coverage == 0.0 and table[0].near_abstained == 0.0  # dense alone cannot separate


def test_dense_threshold_is_chosen_when_it_separates():
    answerable = [AbstainSample(0.93, 10.0, 0.9)] * 20
    near = [AbstainSample(0.86, 3.0, 0.9)] * 10  # as well covered as answerable ones, but far
    best, _ = choose_abstain(answerable, near, ood=[])
    assert best.answered == 1.0 and best.near_abstained == 1.0 and best.ood_abstained is None
    assert 0.86 < best.min_dense_score <= 0.93 and best.min_term_coverage == 0.0  # the most lenient tie
