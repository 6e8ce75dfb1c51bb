#!/usr/bin/env python3
"""Draws JMH JSON results as SVG bar charts (no third-party packages).

Usage: python3 docs/bench/chart.py RESULTS.json [OUT_PREFIX]

For every benchmark class in RESULTS.json (written by `-rf json -rff RESULTS.json`) it writes
OUT_PREFIX-<Class>.svg (default prefix: docs/bench/<results file name without .json>) with two
panels side by side: the primary score of each method (with its error bar when JMH gives one)
and, when the run used `-prof gc`, gc.alloc.rate.norm (bytes per operation). Parameters, if any,
are appended to the method label.
"""
import json
import os
import sys
from html import escape

BAR_H, GAP, LEFT, PANEL_W, TOP = 22, 10, 230, 330, 56
PANEL_GAP, LABEL_ROOM = 80, 90  # room right of each panel for the value labels
W = LEFT + 2 * PANEL_W + PANEL_GAP + LABEL_ROOM
COLORS = ["#3b6ea5", "#d1822b", "#4f9a5b", "#a5463b", "#7a5aa6", "#5aa6a1"]


def label(entry):
    method = entry["benchmark"].rsplit(".", 1)[1]
    params = entry.get("params") or {}
    return method + ("" if not params else " [" + ", ".join(f"{k}={v}" for k, v in params.items()) + "]")


def panel(x0, title, unit, rows):
    """rows: (label, value, error or None); returns SVG elements for one panel."""
    out = [f'<text x="{x0}" y="{TOP - 20}" font-weight="bold">{escape(title)} ({escape(unit)})</text>']
    top = max([v + (e or 0) for _, v, e in rows] + [1e-9])
    for i, (_, value, err) in enumerate(rows):
        y = TOP + i * (BAR_H + GAP)
        w = PANEL_W * value / top
        out.append(f'<rect x="{x0}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{COLORS[i % len(COLORS)]}"/>')
        if err:
            e0, e1 = PANEL_W * (value - err) / top, PANEL_W * (value + err) / top
            out.append(f'<line x1="{x0 + e0:.1f}" x2="{x0 + e1:.1f}" y1="{y + BAR_H / 2}" y2="{y + BAR_H / 2}" '
                       'stroke="black"/>')
        out.append(f'<text x="{x0 + w + 4:.1f}" y="{y + BAR_H - 6}" font-size="12">{value:,.1f}</text>')
    return out


def chart(cls, entries):
    names = [label(e) for e in entries]
    score = [(n, e["primaryMetric"]["score"], finite(e["primaryMetric"].get("scoreError"))) for n, e in zip(names, entries)]
    unit = entries[0]["primaryMetric"]["scoreUnit"]
    alloc = [(n, e["secondaryMetrics"]["gc.alloc.rate.norm"]["score"], None)
             for n, e in zip(names, entries) if "gc.alloc.rate.norm" in e.get("secondaryMetrics", {})]
    height = TOP + len(entries) * (BAR_H + GAP) + 30
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" font-family="sans-serif" '
           'font-size="13">', f'<rect width="{W}" height="{height}" fill="white"/>',
           f'<text x="10" y="18" font-size="15" font-weight="bold">{escape(cls)} '
           f'({"higher" if "/s" in unit else "lower"} score is better)</text>']
    for i, n in enumerate(names):
        y = TOP + i * (BAR_H + GAP) + BAR_H - 6
        svg.append(f'<text x="{LEFT - 8}" y="{y}" text-anchor="end">{escape(n)}</text>')
    svg += panel(LEFT, "score", unit, score)
    if len(alloc) == len(entries):
        svg += panel(LEFT + PANEL_W + PANEL_GAP, "gc.alloc.rate.norm", "B/op", alloc)
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


def finite(x):
    return x if isinstance(x, (int, float)) and x == x and abs(x) != float("inf") else None


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    results = json.load(open(argv[1]))
    prefix = argv[2] if len(argv) > 2 else os.path.join(os.path.dirname(__file__),
                                                        os.path.basename(argv[1]).removesuffix(".json"))
    by_class = {}
    for e in results:
        by_class.setdefault(e["benchmark"].rsplit(".", 2)[1], []).append(e)
    for cls, entries in by_class.items():
        path = f"{prefix}-{cls}.svg"
        with open(path, "w") as f:
            f.write(chart(cls, entries))
        print("wrote", path)


if __name__ == "__main__":
    main(sys.argv)
