"""Check results against eval/thresholds.yml: `suite: {metric: {min: x} | {max: x}}`."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

DEFAULT_THRESHOLDS = Path(__file__).resolve().parents[1] / "thresholds.yml"


def load_thresholds(path: Path = DEFAULT_THRESHOLDS) -> dict[str, dict[str, dict[str, float]]]:
    if not path.exists():
        raise ValueError(f"thresholds file {path} does not exist")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for suite, metrics in data.items():
        for metric, bound in (metrics or {}).items():
            if not isinstance(bound, dict) or not set(bound) <= {"min", "max"} or not bound:
                raise ValueError(f"{path}: {suite}.{metric} must be {{min: number}} and/or {{max: number}}")
    return data


def check(results: dict[str, Any], thresholds: dict[str, dict[str, dict[str, float]]]) -> list[dict[str, Any]]:
    """One row per threshold: passed true/false, or null when the suite or metric was not run."""
    rows = []
    for suite, metrics in thresholds.items():
        result = results["suites"].get(suite)
        for metric, bound in (metrics or {}).items():
            row: dict[str, Any] = {"suite": suite, "metric": metric, **bound, "actual": None, "passed": None}
            if result is None or result["status"] == "skipped":
                row["note"] = "suite not run" if result is None else "suite skipped"
            elif result["status"] == "error":
                row.update(passed=False, note=result.get("message", "suite failed"))
            elif metric not in result["metrics"]:
                row["note"] = "not measured in this run"
            else:
                actual = result["metrics"][metric]
                row["actual"] = actual
                ok = isinstance(actual, (int, float)) and not math.isnan(actual)
                ok = ok and ("min" not in bound or actual >= bound["min"]) and ("max" not in bound or actual <= bound["max"])
                row["passed"] = bool(ok)
            rows.append(row)
    return rows


def gate_passed(rows: list[dict[str, Any]]) -> bool:
    return all(row["passed"] is not False for row in rows)
