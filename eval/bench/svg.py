"""Two small SVG charts written by hand (no plotting dependency): lines on log-log axes, and
histograms on a log-x axis."""
from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT = 720, 420
LEFT, RIGHT, TOP, BOTTOM = 70, 200, 40, 55
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def _log_ticks(low: float, high: float) -> list[float]:
    start, end = math.floor(math.log10(low)), math.ceil(math.log10(high))
    return [10.0 ** e for e in range(start, end + 1)]


def _label(value: float) -> str:
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


class _Canvas:
    def __init__(self, title: str, x_label: str, y_label: str) -> None:
        self.parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
                      f'font-family="sans-serif" font-size="12">',
                      f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
                      f'<text x="{WIDTH / 2 - RIGHT / 2}" y="22" text-anchor="middle" font-size="15">'
                      f'{escape(title)}</text>',
                      f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{HEIGHT - 12}" text-anchor="middle">'
                      f'{escape(x_label)}</text>',
                      f'<text transform="translate(16 {(TOP + HEIGHT - BOTTOM) / 2}) rotate(-90)" '
                      f'text-anchor="middle">{escape(y_label)}</text>']
        self.plot_w, self.plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def axes(self, x_ticks: list[tuple[float, str]], y_ticks: list[tuple[float, str]]) -> None:
        """Ticks as (position 0..1 along the axis, label)."""
        bottom = TOP + self.plot_h
        self.parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{self.plot_w}" height="{self.plot_h}" '
                          'fill="none" stroke="#444"/>')
        for share, text in x_ticks:
            x = LEFT + share * self.plot_w
            self.parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}" stroke="#ddd"/>'
                              f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{escape(text)}</text>')
        for share, text in y_ticks:
            y = bottom - share * self.plot_h
            self.parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + self.plot_w}" y2="{y:.1f}" stroke="#ddd"/>'
                              f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(text)}</text>')

    def legend(self, names: list[str]) -> None:
        for i, name in enumerate(names):
            y = TOP + 10 + i * 18
            self.parts.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{y - 9}" width="12" height="10" '
                              f'fill="{COLOURS[i % len(COLOURS)]}"/><text x="{WIDTH - RIGHT + 30}" y="{y}">'
                              f'{escape(name)}</text>')

    def point(self, x_share: float, y_share: float) -> tuple[float, float]:
        return LEFT + x_share * self.plot_w, TOP + self.plot_h - y_share * self.plot_h

    def render(self) -> str:
        return "\n".join(self.parts + ["</svg>"]) + "\n"


def _log_scale(low: float, high: float) -> tuple[float, float, list[float]]:
    ticks = _log_ticks(low, high)
    return math.log10(ticks[0]), math.log10(ticks[-1]), ticks


def line_chart(title: str, x_label: str, y_label: str, series: dict[str, list[tuple[float, float]]]) -> str:
    """Lines with markers on log-log axes; points with a value <= 0 are left out."""
    points = [(x, y) for values in series.values() for x, y in values if x > 0 and y > 0]
    canvas = _Canvas(title, x_label, y_label)
    if not points:
        return canvas.render()
    x0, x1, x_ticks = _log_scale(min(p[0] for p in points), max(p[0] for p in points))
    y0, y1, y_ticks = _log_scale(min(p[1] for p in points), max(p[1] for p in points))
    x_share = lambda x: (math.log10(x) - x0) / ((x1 - x0) or 1)  # noqa: E731
    y_share = lambda y: (math.log10(y) - y0) / ((y1 - y0) or 1)  # noqa: E731
    canvas.axes([(x_share(t), _label(t)) for t in x_ticks], [(y_share(t), _label(t)) for t in y_ticks])
    for i, values in enumerate(series.values()):
        colour = COLOURS[i % len(COLOURS)]
        xy = [canvas.point(x_share(x), y_share(y)) for x, y in values if x > 0 and y > 0]
        canvas.parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                            + " ".join(f"{x:.1f},{y:.1f}" for x, y in xy) + '"/>')
        canvas.parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in xy)
    canvas.legend(list(series))
    return canvas.render()


def histogram_chart(title: str, x_label: str, edges: list[float], counts: dict[str, list[int]]) -> str:
    """Step outlines of several histograms over the same log-spaced bin edges (share of turns, %)."""
    canvas = _Canvas(title, x_label, "share of turns (%)")
    shares = {name: [c * 100 / (sum(values) or 1) for c in values] for name, values in counts.items()}
    top = max((s for values in shares.values() for s in values), default=0) or 1
    if len(edges) < 2:
        return canvas.render()
    x0, x1, x_ticks = _log_scale(edges[0], edges[-1])
    x_share = lambda x: (math.log10(x) - x0) / ((x1 - x0) or 1)  # noqa: E731
    y_steps = [top * i / 4 for i in range(5)]
    canvas.axes([(x_share(t), _label(t)) for t in x_ticks], [(v / top, f"{v:.0f}") for v in y_steps])
    for i, values in enumerate(shares.values()):
        colour = COLOURS[i % len(COLOURS)]
        xy = [canvas.point(x_share(edges[0]), 0)]
        for j, share in enumerate(values):
            xy += [canvas.point(x_share(edges[j]), share / top), canvas.point(x_share(edges[j + 1]), share / top)]
        xy.append(canvas.point(x_share(edges[-1]), 0))
        canvas.parts.append(f'<polyline fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="1.5" '
                            'points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in xy) + '"/>')
    canvas.legend(list(counts))
    return canvas.render()
