"""`kefu data doctor` end to end, as a designer runs it: a real process, real files."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.eval.nlu.test_doctor import MISLABELLED, write_nlu

REPO = Path(__file__).resolve().parents[3]


def kefu_data(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "data", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_doctor_prints_a_table_and_writes_json(tmp_path: Path) -> None:
    path, where = write_nlu(tmp_path)
    report = tmp_path / "doctor.json"
    result = kefu_data("doctor", "--data", str(path.parent), "--folds", "5", "--json-out", str(report))
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0].split()
    assert header == ["kind", "where", "text", "labelled", "suggested", "conf"]
    mislabelled_line = where[MISLABELLED[0]]
    row = next(line for line in result.stdout.splitlines() if f"nlu_data/demo.yml:{mislabelled_line} " in line)
    assert row.split()[0:2] == ["suspect", "label"] and "thanks" in row and "track_parcel" in row
    assert "examples checked: 1 conflict, 2 suspect label, 1 near-duplicate, 1 duplicate" in result.stdout
    assert "cross-validation fold 5/5" in result.stderr  # progress goes to stderr
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    assert len(findings) == 5
    assert {f["kind"] for f in findings} == {"suspect label", "conflict", "near-duplicate", "duplicate"}


def test_missing_data_is_a_one_line_error(tmp_path: Path) -> None:
    result = kefu_data("doctor", "--data", str(tmp_path / "missing"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"kefu data doctor: {tmp_path / 'missing'} does not exist: pass --data with a Rasa NLU YAML file or folder"]


def test_bad_folds_are_refused_before_any_work(tmp_path: Path) -> None:
    result = kefu_data("doctor", "--folds", "1")
    assert result.returncode == 2
    assert result.stderr.strip() == "kefu data doctor: --folds must be between 2 and 20, got 1"
