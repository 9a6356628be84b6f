"""Inline SVG charts drawn by hand (no plotting library, no CDN): line, bar, histogram, heatmap."""
from __future__ import annotations

from html import escape

PALETTE = ("#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9")
FONT = 'font-family="system-ui,sans-serif" font-size="11"'


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">' + "".join(body) + "</svg>")


def line_chart(series: dict[str, list[tuple[str, float]]], label: str, y_min: float = 0.0,
               width: int = 420, height: int = 240) -> str:
    """One line per series over shared categorical x values (e.g. k of recall@k); y in y_min..1."""
    left, right, top, bottom = 44, 110, 14, 30
    xs = [x for x, _ in next(iter(series.values()))]
    step = (width - left - right) / max(len(xs) - 1, 1)
    span = (1.0 - y_min) or 1.0

    def y_of(v: float) -> float:
        return top + (height - top - bottom) * (1 - (max(v, y_min) - y_min) / span)

    body = []
    for i in range(6):
        value = y_min + span * i / 5
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y_of(value):.1f}" y2="{y_of(value):.1f}" stroke="#e5e7eb"/>'
                     f'<text x="{left - 6}" y="{y_of(value) + 4:.1f}" text-anchor="end" {FONT} fill="#6b7280">{value:.2f}</text>')
    for i, x in enumerate(xs):
        body.append(f'<text x="{left + i * step:.1f}" y="{height - 10}" text-anchor="middle" {FONT} fill="#374151">{escape(x)}</text>')
    for n, (name, points) in enumerate(series.items()):
        color = PALETTE[n % len(PALETTE)]
        coords = " ".join(f"{left + i * step:.1f},{y_of(v):.1f}" for i, (_, v) in enumerate(points))
        body.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{coords}"/>')
        body += [f'<circle cx="{left + i * step:.1f}" cy="{y_of(v):.1f}" r="3.5" fill="{color}"><title>{escape(name)} {escape(x)}: {v:.4f}</title></circle>'
                 for i, (x, v) in enumerate(points)]
        body.append(f'<rect x="{width - right + 12}" y="{top + n * 18}" width="12" height="12" fill="{color}"/>'
                    f'<text x="{width - right + 30}" y="{top + n * 18 + 10}" {FONT}>{escape(name)}</text>')
    return _svg(width, height, body, label)


def hbar_chart(rows: list[tuple[str, list[float]]], names: list[str], label: str, width: int = 560,
               bar: int = 9) -> str:
    """Horizontal bars in 0..1, one group per row label, one bar per name (e.g. kefu vs stock)."""
    left, top = 200, 22
    group = bar * len(names) + 6
    height = top + group * len(rows) + 10
    scale = width - left - 50
    body = [f'<rect x="{left + i * 140}" y="2" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{left + i * 140 + 14}" y="11" {FONT}>{escape(n)}</text>' for i, n in enumerate(names)]
    for r, (row_label, values) in enumerate(rows):
        y = top + r * group
        body.append(f'<text x="{left - 6}" y="{y + group / 2:.1f}" text-anchor="end" {FONT}>{escape(row_label)}</text>')
        for i, value in enumerate(values):
            color = PALETTE[i % len(PALETTE)]
            body.append(f'<rect x="{left}" y="{y + i * bar}" width="{max(value, 0) * scale:.1f}" height="{bar - 1}" fill="{color}">'
                        f'<title>{escape(row_label)} ({escape(names[i])}): {value:.3f}</title></rect>'
                        f'<text x="{left + max(value, 0) * scale + 4:.1f}" y="{y + i * bar + bar - 2}" font-size="9" '
                        f'font-family="system-ui,sans-serif" fill="#6b7280">{value:.2f}</text>')
    return _svg(width, height, body, label)


def histogram(edges: list[float], counts: list[int], markers: dict[str, float], label: str,
              width: int = 560, height: int = 220, unit_scale: float = 1000.0, unit: str = "ms") -> str:
    """Bars per bin (edges in seconds, shown in ms) with vertical marker lines (e.g. p50, p95)."""
    left, right, top, bottom = 40, 16, 16, 34
    if not counts:
        return _svg(width, 40, [f'<text x="10" y="24" {FONT}>no turns measured</text>'], label)
    high, peak = edges[-1] or 1.0, max(counts) or 1
    plot_w, plot_h = width - left - right, height - top - bottom
    bar_w = plot_w / len(counts)
    body = [f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#9ca3af"/>']
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        body.append(f'<rect x="{left + i * bar_w + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                    f'fill="#93c5fd"><title>{edges[i] * unit_scale:.0f}–{edges[i + 1] * unit_scale:.0f} {unit}: {count}</title></rect>')
    for i in range(0, len(edges), max(len(edges) // 5, 1)):
        body.append(f'<text x="{left + i * bar_w:.1f}" y="{height - 16}" text-anchor="middle" {FONT} fill="#6b7280">'
                    f'{edges[i] * unit_scale:.0f}</text>')
    body.append(f'<text x="{width - right}" y="{height - 3}" text-anchor="end" {FONT} fill="#6b7280">{unit} per turn</text>')
    body.append(f'<text x="{left - 6}" y="{top + 8}" text-anchor="end" {FONT} fill="#6b7280">{peak}</text>')
    for n, (name, seconds) in enumerate(markers.items()):
        x = left + plot_w * min(seconds / high, 1)
        color = PALETTE[(n + 3) % len(PALETTE)]
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="{color}" stroke-width="2" stroke-dasharray="4 3"/>'
                    f'<text x="{x + 4:.1f}" y="{top + 10 + n * 13}" {FONT} fill="{color}">{escape(name)} {seconds * unit_scale:.0f}</text>')
    return _svg(width, height, body, label)


def heatmap(labels: list[str], matrix: list[list[int]], label: str, cell: int = 18) -> str:
    """Confusion matrix: rows = true label, columns = predicted; colour by row-normalised share."""
    left, top = 150, 150
    size = len(labels)
    width, height = left + cell * size + 10, top + cell * size + 10
    body = []
    for i, name in enumerate(labels):
        body.append(f'<text x="{left - 4}" y="{top + i * cell + cell * 0.7:.1f}" text-anchor="end" font-size="10" '
                    f'font-family="system-ui,sans-serif">{escape(name)}</text>')
        body.append(f'<text transform="translate({left + i * cell + cell * 0.7:.1f},{top - 4}) rotate(-60)" font-size="10" '
                    f'font-family="system-ui,sans-serif">{escape(name)}</text>')
    for i, row in enumerate(matrix):
        total = sum(row) or 1
        for j, count in enumerate(row):
            share = count / total
            color = f"rgba(37,99,235,{share:.3f})" if i == j else f"rgba(239,68,68,{min(share * 2, 1):.3f})"
            body.append(f'<rect x="{left + j * cell}" y="{top + i * cell}" width="{cell - 1}" height="{cell - 1}" '
                        f'fill="{color if count else "#f9fafb"}"><title>true {escape(labels[i])} → predicted '
                        f'{escape(labels[j])}: {count}</title></rect>')
            if count:
                body.append(f'<text x="{left + j * cell + cell / 2:.1f}" y="{top + i * cell + cell * 0.68:.1f}" '
                            f'text-anchor="middle" font-size="8" font-family="system-ui,sans-serif">{count}</text>')
    return _svg(width, height, body, label)
