"""Print the doctor's findings as a table a designer can work through, file and line first."""
from __future__ import annotations

import unicodedata
from collections import Counter

from eval.nlu.doctor import Finding

COLUMNS = (("kind", 14), ("where", 30), ("text", 28), ("labelled", 18), ("suggested", 18), ("conf", 5))
ADVICE = {
    "conflict": "same text under two intents: keep it in one",
    "suspect label": "the other examples say it belongs to the suggested intent: move or reword it",
    "near-duplicate": "almost the same text under two intents: make them clearly different or merge",
    "duplicate": "repeated under one intent: delete the copy",
}


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """Cut and pad to a display width (Chinese characters take two columns)."""
    out, used = "", 0
    for char in text.replace("\n", " "):
        w = display_width(char)
        if used + w > width - (1 if display_width(text) > width else 0):
            out += "…"
            used += 1
            break
        out += char
        used += w
    return out + " " * max(0, width - used)


def render_table(findings: list[Finding], limit: int = 0) -> str:
    if not findings:
        return "No findings: no duplicates, no near-duplicates across intents, no suspect labels."
    header = "  ".join(fit(name, width) for name, width in COLUMNS)
    lines = [header, "-" * display_width(header)]
    shown = findings if limit <= 0 else findings[:limit]
    for f in shown:
        cells = (f.kind, f"{f.file}:{f.line}", f.text, f.intent, f.suggested, f"{f.confidence:.2f}")
        lines.append("  ".join(fit(cell, width) for cell, (_n, width) in zip(cells, COLUMNS)).rstrip())
        if f.other:
            lines.append(" " * 16 + f"↳ see {f.other.file}:{f.other.line} {f.other.text} ({f.other.intent})")
    if len(shown) < len(findings):
        lines.append(f"… {len(findings) - len(shown)} more (use --limit 0 or --json-out)")
    return "\n".join(lines)


def render_summary(findings: list[Finding], examples: int) -> str:
    counts = Counter(f.kind for f in findings)
    parts = [f"{counts[kind]} {kind}" for kind in ADVICE if counts[kind]]
    lines = [f"{examples} examples checked: " + (", ".join(parts) if parts else "nothing to fix")]
    lines += [f"  {kind}: {ADVICE[kind]}" for kind in ADVICE if counts[kind]]
    return "\n".join(lines)
