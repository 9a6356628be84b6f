"""One HTML section per suite: its metrics table, its plots and its worst failures."""
from __future__ import annotations

import base64
from html import escape
from pathlib import Path
from typing import Any, Callable

from eval.report import svg

WORST = 8  # failures shown per suite


def fmt(value: Any) -> str:
    """How a number is shown: integers as is, large values with one decimal, the rest with four."""
    if value is None:
        return "–"
    if isinstance(value, bool) or isinstance(value, int):
        return str(value)
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.4f}"


def metric_span(suite: str, name: str, value: Any, tag: str = "span", cls: str = "metric", checked: bool = True) -> str:
    attributes = f' data-metric="{escape(suite)}:{escape(name)}" data-value="{value}"' if checked else ""
    return f'<{tag} class="{cls}"{attributes}>{fmt(value)}</{tag}>'


def metrics_table(suite: str, metrics: dict[str, Any]) -> str:
    rows = "".join(f"<tr><td>{escape(name)}</td><td>{metric_span(suite, name, value)}</td></tr>"
                   for name, value in metrics.items())
    return f'<table class="metrics"><tr><th>metric</th><th>value</th></tr>{rows}</table>'


def transcript(turns: list[dict[str, Any]]) -> str:
    lines = []
    for turn in turns:
        lines.append(f'<div class="turn"><span class="u">客户：{escape(str(turn.get("user", "")))}</span><br>'
                     f'<span class="b">机器人：{escape(str(turn.get("bot") or "（无回复）"))}</span>'
                     + (f' <span class="note">[{escape(str(turn["mode"]))}]</span>' if turn.get("mode") else ""))
        for name, check in (turn.get("checks") or {}).items():
            mark = '<span class="good">✓</span>' if check["ok"] else '<span class="bad">✗</span>'
            lines.append(f'<div class="note">{mark} {escape(name)}: expected {escape(str(check["expected"]))}, '
                         f'got {escape(str(check["got"]))}</div>')
        lines.append("</div>")
    return "".join(lines)


def retrieval(suite: dict[str, Any], _: Path | None) -> str:
    parts = []
    for name, data in suite["sets"].items():
        series = {method: [(f"k={key.split('@')[1]}", values[key]) for key in values if key.startswith("recall@")]
                  for method, values in data["methods"].items()}
        keys = list(next(iter(data["methods"].values())))
        head = "".join(f"<th>{escape(k)}</th>" for k in keys)
        rows = "".join(f"<tr><td>{escape(m)}</td>" + "".join(f"<td>{fmt(v[k])}</td>" for k in keys) + "</tr>"
                       for m, v in data["methods"].items())
        low = min(min(v for _, v in points) for points in series.values())
        parts.append(f'<h3>{escape(name)} — {data["questions"]} questions ({escape(data["source"])})</h3>'
                     f'<div class="charts">{svg.line_chart(series, f"recall@k {name}", y_min=max(0.0, round(low - 0.1, 1)))}'
                     f'<table><tr><th>method</th>{head}</tr>{rows}</table></div>')
        misses = data.get("failures") or []
        if misses:
            parts.append("<details><summary>questions where hybrid did not rank the right document first "
                         f"({len(misses)} shown)</summary><table>" + "".join(
                             f'<tr><td>{escape(m["question"])}</td><td>{escape(str(m["expected"]))}</td>'
                             f'<td>rank {m["hybrid_rank"] or "not found"}</td></tr>' for m in misses) + "</table></details>")
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in suite.get("notes", []))
    return (notes + "".join(parts) + "<details><summary>all numbers</summary>"
            + metrics_table("retrieval", suite["metrics"]) + "</details>")


def rag(suite: dict[str, Any], _: Path | None) -> str:
    counts = suite["counts"]
    bars = [(name, [value]) for name, value in suite["metrics"].items() if value is not None and value <= 1]
    failures = "".join(
        f'<details><summary>{escape(f["id"])}: {escape(f["question"])}</summary><div class="turn">'
        f'<span class="b">{escape(f["answer"])}</span></div><div class="note">expected '
        f'{escape(str(f.get("reference")))} from {escape(str(f.get("expected_doc")))}; cited {escape(str(f["cited"]))}; '
        f'{"abstained (" + escape(f["reason"]) + ")" if f["abstained"] else "answered"}</div></details>'
        for f in suite.get("failures", [])[:WORST])
    return (f'<p class="note">{counts["answerable"]} answerable and {counts["unanswerable"]} unanswerable questions '
            f'from {escape(suite["source"])}.</p><div class="charts">{svg.hbar_chart(bars, ["share"], "rag metrics")}'
            f'{metrics_table("rag", suite["metrics"])}</div><details><summary>definitions</summary><pre class="note">'
            f'{escape(suite.get("definition", ""))}</pre></details><h3>worst failures</h3>{failures or "none"}')


def rag_live(suite: dict[str, Any], _: Path | None) -> str:
    routes = "".join(f"<tr><td>{escape(intent)}</td><td>{count}</td></tr>" for intent, count in suite.get("routes", {}).items())
    failures = "".join(
        f'<details><summary>{escape(f["id"])}: {escape(f["question"])}</summary><div class="turn">'
        f'<span class="b">{escape(f["answer"])}</span></div><div class="note">intent {escape(str(f["intent"]))}; actions '
        f'{escape(", ".join(f["actions"]))}; expected {escape(str(f["expected_doc"]))}; cited {escape(str(f["cited"]))}'
        f'</div></details>' for f in suite.get("failures", [])[:WORST])
    return (f'<p class="note">{suite["questions"]} knowledge questions from {escape(suite["source"])}, asked through '
            f'the gateway, one new conversation each.</p><div class="charts">{metrics_table("rag_live", suite["metrics"])}'
            f'<table><tr><th>intent of the questions that never reached the knowledge base</th><th>count</th></tr>'
            f'{routes}</table></div><details><summary>definitions</summary><pre class="note">'
            f'{escape(suite.get("definition", ""))}</pre></details><h3>worst failures</h3>{failures or "none"}')


def _confusion(nlu: dict[str, Any], pipeline: dict[str, Any], png_dir: Path | None) -> str:
    png = nlu.get("confusion_png")
    if png:
        path = Path(png) if Path(png).is_absolute() or png_dir is None else png_dir / png
        if path.exists():
            data = base64.b64encode(path.read_bytes()).decode()
            return f'<img class="png" alt="confusion matrix" src="data:image/png;base64,{data}">'
    confusion = pipeline.get("confusion") or {}
    if confusion.get("labels"):
        return svg.heatmap(confusion["labels"], confusion["matrix"], "confusion matrix")
    return '<p class="note">no confusion matrix in the NLU result</p>'


def nlu(suite: dict[str, Any], png_dir: Path | None) -> str:
    data = suite["nlu"]
    pipelines = data["pipelines"]
    names = list(pipelines)
    intents = sorted({i for p in pipelines.values() for i in p.get("per_intent_f1", {})},
                     key=lambda i: min(p.get("per_intent_f1", {}).get(i, 1.0) for p in pipelines.values()))
    rows = [(i, [pipelines[n].get("per_intent_f1", {}).get(i, 0.0) for n in names]) for i in intents]
    first = pipelines.get("kefu") or next(iter(pipelines.values()))
    return (f'<p class="note">dataset {escape(str(data["dataset"]))} ({escape(str(data.get("language")))}), '
            f'{data["n_train"]} training and {data["n_test"]} test messages{" (quick)" if data.get("quick") else ""}.</p>'
            f'{metrics_table("nlu", suite["metrics"])}<h3>per-intent F1 (worst first)</h3>'
            f'{svg.hbar_chart(rows, names, "per-intent F1")}<h3>confusion matrix</h3>'
            f'{_confusion(data, first, png_dir)}')


def conversations(suite: dict[str, Any], _: Path | None) -> str:
    counts = suite["counts"]
    stories = "".join(
        f'<details><summary class="bad">story “{escape(s["name"])}” ({escape(s["source"])}): step '
        f'{s["first_error"]["position"] + 1} expected {escape(s["first_error"]["expected"])}, got '
        f'{escape(s["first_error"]["got"])}</summary>{transcript(s["transcript"])}<div class="note">expected: '
        f'{escape(" → ".join(s["expected_steps"]))}<br>actual: {escape(" → ".join(s["actual_steps"]))}</div></details>'
        for s in suite["stories"] if not s["passed"])
    dialogues = "".join(
        f'<details><summary class="bad">dialogue “{escape(d["name"])}” ({escape(d["source"])})</summary>'
        f'{transcript(d["turns"])}</details>' for d in suite["dialogues"] if not d["passed"])
    return (f'<p class="note">{counts["stories"]} test stories replayed live, {counts["dialogues"]} scripted dialogues '
            f'through the gateway.</p>{metrics_table("conversations", suite["metrics"])}'
            f'<h3>failed stories</h3>{stories or "none"}<h3>failed dialogues</h3>{dialogues or "none"}')


def handoff(suite: dict[str, Any], _: Path | None) -> str:
    c = suite["confusion"]
    matrix = (f'<table><tr><th></th><th>handed off</th><th>kept by bot</th></tr><tr><th>should hand off</th>'
              f'<td>{c["tp"]}</td><td class="bad">{c["fn"]}</td></tr><tr><th>should not</th><td class="bad">{c["fp"]}</td>'
              f'<td>{c["tn"]}</td></tr></table>')
    failures = "".join(
        f'<details><summary class="bad">{escape(f["id"])}: should {"" if f["should_handoff"] else "not "}hand off '
        f'({escape(f["note"])})</summary>{transcript(f["transcript"])}</details>' for f in suite["failures"][:WORST])
    return (f'<p class="note">{suite["conversations"]} labelled conversations through the gateway.</p>'
            f'<div class="charts">{metrics_table("handoff", suite["metrics"])}{matrix}</div>'
            f'<h3>wrong decisions</h3>{failures or "none"}')


def latency(suite: dict[str, Any], _: Path | None) -> str:
    metrics = suite["metrics"]
    markers = {k.split("_")[1]: metrics[k] / 1000 for k in ("gateway_p50_ms", "gateway_p95_ms") if metrics.get(k) is not None}
    hist = suite["histogram"]
    slow = "".join(f'<tr><td>{escape(t["suite"])}</td><td>{escape(t["message"])}</td><td>{t["ms"]}</td></tr>'
                   for t in suite.get("slowest", []))
    return (f'<div class="charts">{svg.histogram(hist["edges"], hist["counts"], markers, "gateway latency per turn")}'
            f'{metrics_table("latency", metrics)}</div><h3>slowest turns</h3><table><tr><th>suite</th><th>message</th>'
            f'<th>ms</th></tr>{slow}</table>')


def blind(suite: dict[str, Any], _: Path | None) -> str:
    routes = "".join(f'<tr><td>{escape(r["expected"])}</td><td>{escape(r["observed"])}</td><td>{r["turns"]}</td></tr>'
                     for r in suite["routes"])
    failures = "".join(
        f'<details><summary class="bad">{escape(f["id"])} ({escape(f.get("category", "near miss"))}): '
        f'{escape("; ".join(p for t in f.get("turns", []) for p in t["problems"]) or f.get("observed_route", ""))}'
        f'</summary>{transcript(f.get("turns") or [{"user": f.get("question"), "bot": f.get("bot")}])}</details>'
        for f in suite["failures"][:WORST])
    return (f'<p class="note">{len(suite["conversations"])} blind conversations and {len(suite["near_misses"])} '
            f'near-miss questions from {escape(suite["set"])}.</p><div class="charts">'
            f'{metrics_table("blind", suite["metrics"])}<table><tr><th>expected route</th><th>observed</th>'
            f'<th>turns</th></tr>{routes}</table></div><h3>failures</h3>{failures or "none"}')


def risk(suite: dict[str, Any], _: Path | None) -> str:
    counts = suite["counts"]
    rows = "".join(
        f'<tr><td>{escape(str(f.get("expected", "none (CIC)")))}</td><td>{escape(str(f.get("context") or ""))}</td>'
        f'<td>{escape(str(f.get("evidence") or "missed"))}</td><td>{escape(f["text"])}</td></tr>'
        for f in suite["failures"][:WORST * 4])
    return (f'<p class="note">{counts["risky"]} risky and {counts["ordinary_blind"]} hard ordinary blind messages '
            f'({counts["slot_values"]} slot values), {counts["cic_test"]} ordinary CIC test messages.</p>'
            f'{metrics_table("risk", suite["metrics"])}<h3>misses and false alarms</h3><table><tr><th>expected</th>'
            f'<th>context</th><th>evidence</th><th>message</th></tr>{rows}</table>')


def jddc_routes(suite: dict[str, Any], _: Path | None) -> str:
    confusion = "".join(f'<tr><td>{escape(r["expected"])}</td><td>{escape(r["observed"])}</td><td>{r["messages"]}</td></tr>'
                        for r in suite["confusion"])
    wrong = "".join(f'<tr><td>{escape(f["route_a"])}</td><td>{escape(f["observed"])}</td><td>{escape(f["text"])}</td>'
                    f'<td>{escape(f["bot"][:120])}</td></tr>' for f in suite["failures"][:WORST * 2])
    return (f'<div class="charts">{metrics_table("jddc_routes", suite["metrics"])}<table><tr><th>labelled</th>'
            f'<th>observed</th><th>messages</th></tr>{confusion}</table></div><h3>routed otherwise</h3><table><tr>'
            f'<th>labelled</th><th>observed</th><th>message</th><th>reply</th></tr>{wrong}</table>')


def replay(suite: dict[str, Any], _: Path | None) -> str:
    failures = "".join(f'<tr><td>{escape(str(f.get("message", "")))}</td><td>{escape(str(f.get("error") or f.get("reply") or "(no reply)"))}</td></tr>'
                       for f in suite["failures"][:WORST * 2])
    return (f'{metrics_table("replay", suite["metrics"])}<h3>silent, failed or leaking replies</h3>'
            f'{"<table>" + failures + "</table>" if failures else "none"}')


SECTIONS: dict[str, Callable[[dict[str, Any], Path | None], str]] = {
    "retrieval": retrieval, "rag": rag, "nlu": nlu, "conversations": conversations, "rag_live": rag_live,
    "handoff": handoff, "latency": latency, "blind": blind, "risk": risk, "jddc_routes": jddc_routes, "replay": replay}
