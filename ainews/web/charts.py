"""Server-rendered SVG charts: no JavaScript, no CDN, every label escaped."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563",
           "#65a30d", "#9333ea"]


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], width: int = 720,
               height: int = 280) -> Markup:
    """One line per series over the x labels (weeks), with a y axis from 0 and a legend."""
    if not labels or not series:
        return Markup("")
    left, right, top, bottom = 36, 12, 12, 28
    peak = max(1, *(max(v) for _, v in series if v))
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(labels) - 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: int) -> float:
        return top + plot_h - v / peak * plot_h

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="주간 언급 추이" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for tick in sorted({0, peak // 2, peak}):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    every = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>')
    for n, (name, values) in enumerate(series):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{color(n)}" stroke-width="2">'
                     f'<title>{escape(name)}</title></polyline>')
        if values:
            parts.append(f'<circle cx="{x(len(values) - 1):.1f}" cy="{y(values[-1]):.1f}" r="3" '
                         f'fill="{color(n)}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(values: Sequence[int], stroke: str = "#2563eb", width: int = 120, height: int = 28) -> Markup:
    """A tiny trend line for a table row."""
    if not values:
        return Markup("")
    peak = max(1, *values)
    step = width / max(1, len(values) - 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - v / peak * (height - 4):.1f}" for i, v in enumerate(values))
    return Markup(f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
                  f'aria-hidden="true"><polyline points="{points}" fill="none" stroke="{escape(stroke)}" '
                  f'stroke-width="1.5"/></svg>')
