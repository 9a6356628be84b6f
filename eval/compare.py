"""`kefu eval compare A.json B.json`: every metric both runs have, B against A, with its delta and
an arrow (▲ better, ▼ worse, = same). Lower is better for latencies and durations; higher for
everything else. Always exits 0: it informs, the thresholds gate."""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

LOWER_IS_BETTER = ("_ms", "_seconds", "fp", "fn")
EPSILON = 1e-9


def lower_is_better(metric: str) -> bool:
    return metric.endswith(LOWER_IS_BETTER)


def flat_metrics(results: dict[str, Any]) -> dict[str, float]:
    return {f"{suite}.{name}": value for suite, data in results.get("suites", {}).items()
            for name, value in (data.get("metrics") or {}).items()
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)}


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    old, new = flat_metrics(a), flat_metrics(b)
    rows = []
    for key in sorted(set(old) | set(new)):
        row: dict[str, Any] = {"metric": key, "a": old.get(key), "b": new.get(key)}
        if key in old and key in new:
            delta = new[key] - old[key]
            better = -delta if lower_is_better(key) else delta
            row.update(delta=delta, change="same" if abs(delta) <= EPSILON else "better" if better > 0 else "worse")
        else:
            row["change"] = "only in B" if key in new else "only in A"
        rows.append(row)
    return rows


ARROWS = {"better": "▲", "worse": "▼", "same": "=", "only in A": "−", "only in B": "+"}


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.4g}"


def report(rows: list[dict[str, Any]]) -> str:
    width = max([len(r["metric"]) for r in rows] + [6])
    lines = [f"{'metric':<{width}}  {'A':>10}  {'B':>10}  {'delta':>10}"]
    order = {"worse": 0, "better": 1, "only in A": 2, "only in B": 3, "same": 4}
    for row in sorted(rows, key=lambda r: (order[r["change"]], r["metric"])):
        delta = f"{row['delta']:+.4g}" if "delta" in row else ""
        lines.append(f"{row['metric']:<{width}}  {_num(row['a']):>10}  {_num(row['b']):>10}  {delta:>10}  "
                     f"{ARROWS[row['change']]} {row['change']}")
    counts = {name: sum(r["change"] == name for r in rows) for name in ("better", "worse", "same")}
    lines.append(f"{counts['better']} better, {counts['worse']} worse, {counts['same']} unchanged")
    return "\n".join(lines)


def load(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ValueError(f"{path} does not exist; give two results.json files written by kefu eval")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON ({error.msg})") from None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kefu eval compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="the earlier results.json")
    parser.add_argument("b", type=Path, help="the later results.json")
    args = parser.parse_args(argv)
    try:
        print(report(compare(load(args.a), load(args.b))))
    except ValueError as error:
        print(f"kefu eval compare: {error}", file=sys.stderr)
        return 2
    return 0
