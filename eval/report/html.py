"""The self-contained report: inline CSS and SVG, one file to open or mail (no CDN, no scripts).

Every metric of results.json is shown once in its suite's table as
`<span class="metric" data-metric="suite:name" data-value="raw">formatted</span>` so a test can
check that the page shows exactly the numbers of the JSON."""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from eval.report.sections import SECTIONS, metric_span, metrics_table

CSS = """
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f3f4f6;color:#111827}
header{background:#111827;color:#f9fafb;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
header .meta{font-size:12px;color:#d1d5db}main{padding:18px 28px;max-width:1200px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 18px}
.card{background:#fff;border-radius:10px;padding:12px 14px;min-width:150px;box-shadow:0 1px 3px rgba(0,0,0,.08);border-top:5px solid #9ca3af}
.card.pass{border-top-color:#10b981}.card.fail{border-top-color:#ef4444}.card .value{font-size:26px;font-weight:700}
.card .label{font-size:12px;color:#4b5563}.card .bound{font-size:11px;color:#6b7280}
.verdict{font-size:18px;font-weight:700;padding:10px 14px;border-radius:8px;margin-bottom:14px;display:inline-block}
.verdict.pass{background:#d1fae5;color:#065f46}.verdict.fail{background:#fee2e2;color:#991b1b}
section{background:#fff;border-radius:10px;padding:14px 18px;margin-bottom:16px;box-shadow:0 1px 3px rgba(0,0,0,.06)}
section h2{margin:0 0 8px;font-size:18px}section h3{font-size:14px;margin:14px 0 6px;color:#374151}
table{border-collapse:collapse;font-size:13px;margin:6px 0}td,th{border-bottom:1px solid #e5e7eb;padding:4px 10px;text-align:left}
th{background:#f9fafb}.metric{font-variant-numeric:tabular-nums;font-weight:600}
.status{font-size:12px;padding:2px 8px;border-radius:10px;margin-left:8px}.status.ok{background:#d1fae5}
.status.skipped{background:#e5e7eb}.status.error{background:#fee2e2}
.charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
details{margin:6px 0;border:1px solid #e5e7eb;border-radius:6px;padding:6px 10px}summary{cursor:pointer;font-size:13px}
.turn{font-size:13px;margin:4px 0}.turn .u{color:#1d4ed8}.turn .b{color:#374151;white-space:pre-wrap}
.bad{color:#b91c1c}.good{color:#047857}.note{font-size:12px;color:#6b7280}img.png{max-width:100%}
"""


def card(row: dict[str, Any]) -> str:
    state = {True: "pass", False: "fail", None: "na"}[row["passed"]]
    bound = " ".join(f"{'≥' if k == 'min' else '≤'} {row[k]}" for k in ("min", "max") if k in row)
    value = metric_span(row["suite"], row["metric"], row["actual"], tag="div", cls="value", checked=False) \
        if row["actual"] is not None else '<div class="value">–</div>'
    mark = {"pass": "✓ pass", "fail": "✗ fail", "na": row.get("note", "not run")}[state]
    return (f'<div class="card {state}" data-threshold="{escape(row["suite"])}:{escape(row["metric"])}" '
            f'data-passed="{str(row["passed"]).lower()}">{value}<div class="label">{escape(row["suite"])} · '
            f'{escape(row["metric"])}</div><div class="bound">{escape(bound)} · {escape(mark)}</div></div>')


def header(results: dict[str, Any]) -> str:
    meta = results["meta"]
    git = meta.get("git") or {}
    machine = meta.get("machine") or {}
    durations = ", ".join(f"{k} {v} s" for k, v in (meta.get("durations_s") or {}).items())
    return (f'<header><h1>Kefu evaluation report</h1><div class="meta">{escape(meta["date"])} · commit '
            f'{escape(str(git.get("commit") or "?")[:10])}{" (uncommitted changes)" if git.get("dirty") else ""} · '
            f'{escape(str(machine.get("hostname")))}, {machine.get("cpus")} CPUs, load {machine.get("load_1min_at_start")} · '
            f'<code>{escape(meta.get("command") or "")}</code><br>suite durations: {escape(durations)}'
            + (f' (stack start {meta["stack_start_s"]} s included)' if meta.get("stack_start_s") else "") + ' · total '
            f'{meta.get("total_s")} s{" · quick subset" if meta.get("quick") else ""}</div></header>')


def render(results: dict[str, Any], nlu_png_dir: Path | None = None) -> str:
    thresholds = results.get("thresholds") or []
    passed = results.get("passed", True)
    verdict = (f'<div class="verdict {"pass" if passed else "fail"}" id="verdict">'
               f'{"All thresholds pass" if passed else "Thresholds failed"}: '
               f'{sum(r["passed"] is True for r in thresholds)} pass, {sum(r["passed"] is False for r in thresholds)} fail, '
               f'{sum(r["passed"] is None for r in thresholds)} not run</div>')
    cards = '<div class="cards">' + "".join(card(row) for row in thresholds) + "</div>"
    sections = []
    for name, suite in results["suites"].items():
        status = f'<span class="status {suite["status"]}">{escape(suite["status"])}</span>'
        body = (f'<p class="note">{escape(suite.get("message", ""))}</p>' if suite["status"] != "ok"
                else SECTIONS[name](suite, nlu_png_dir) if name in SECTIONS else metrics_table(name, suite["metrics"]))
        sections.append(f'<section id="suite-{name}"><h2>{escape(name)}{status}</h2>{body}</section>')
    return ('<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>Kefu evaluation</title>'
            f'<meta name="viewport" content="width=device-width"><style>{CSS}</style></head><body>{header(results)}'
            f'<main>{verdict}{cards}{"".join(sections)}</main></body></html>')


def write_report(results: dict[str, Any], path: Path, nlu_png_dir: Path | None = None) -> Path:
    path.write_text(render(results, nlu_png_dir), encoding="utf-8")
    return path
