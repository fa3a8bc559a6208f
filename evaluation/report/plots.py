"""The plots of the reports, drawn with matplotlib's object API (no pyplot state) as PNG bytes.

Chinese labels need a CJK font: Noto Sans CJK SC (Debian `fonts-noto-cjk`, installed by
`make browser`). Without it the plots are still drawn, with boxes for Chinese characters, and a
warning is logged once.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

log = logging.getLogger(__name__)
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
COLOURS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3")


@cache
def cjk_font() -> str | None:
    """The first installed CJK font family, or None."""
    from matplotlib import font_manager

    for family in CJK_FONTS:
        try:
            font_manager.findfont(family, fallback_to_default=False)
        except ValueError:
            continue
        return family
    log.warning("no CJK font found (%s): Chinese in plots will not render", ", ".join(CJK_FONTS))
    return None


@contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    family = cjk_font()
    fonts = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    with matplotlib.rc_context(
        {"font.family": "sans-serif", "font.sans-serif": fonts, "axes.unicode_minus": False}
    ):
        yield


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def metric_bars(means: Mapping[str, Mapping[str, float]], labels: Mapping[str, str]) -> bytes:
    """Grouped bars: one group per metric, one bar per configuration."""
    from matplotlib.figure import Figure

    with _style():
        names, metrics = list(means), list(labels)
        figure = Figure(figsize=(max(6.0, 1.6 * len(metrics) + 0.5 * len(names)), 3.8))
        axes = figure.add_subplot()
        width = 0.8 / max(len(names), 1)
        for i, name in enumerate(names):
            xs = [m + (i - (len(names) - 1) / 2) * width for m in range(len(metrics))]
            values = [means[name][m] for m in metrics]
            bars = axes.bar(xs, values, width, label=name, color=COLOURS[i % len(COLOURS)])
            axes.bar_label(bars, fmt="%.3f", fontsize=7, padding=1)
        axes.set_xticks(range(len(metrics)), [labels[m] for m in metrics])
        axes.set_ylim(0, 1.08)
        axes.set_ylabel("均值（答得出的需求）")
        axes.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(names))
        axes.grid(axis="y", alpha=0.3)
        return _png(figure)


def per_query_deltas(deltas: Mapping[str, float], *, metric_label: str, title: str) -> bytes:
    """Sorted bars of other − baseline per need (green above zero, red below)."""
    from matplotlib.figure import Figure

    with _style():
        ordered = sorted(deltas.items(), key=lambda item: (item[1], item[0]))
        figure = Figure(figsize=(max(6.0, 0.12 * len(ordered) + 2), 3.6))
        axes = figure.add_subplot()
        values = [v for _, v in ordered]
        colours = ["#55a868" if v > 0 else "#c44e52" if v < 0 else "#999999" for v in values]
        axes.bar(range(len(values)), values, color=colours, width=0.85)
        axes.axhline(0, color="#333", linewidth=0.8)
        if len(ordered) <= 40:
            axes.set_xticks(range(len(values)), [q for q, _ in ordered], rotation=90, fontsize=7)
        else:
            axes.set_xticks([])
            axes.set_xlabel("需求（按差值排序）")
        axes.set_ylabel(f"Δ {metric_label}")
        up, down = sum(v > 0 for v in values), sum(v < 0 for v in values)
        axes.set_title(
            f"{title}：变好 {up}，变差 {down}，不变 {len(values) - up - down}", fontsize=10
        )
        axes.grid(axis="y", alpha=0.3)
        return _png(figure)


Curve = tuple[str, Sequence[float], Mapping[str, Sequence[float]]]  # label, xs, metric -> ys


def sweep_curves(curves: Sequence[Curve], *, x_label: str, labels: Mapping[str, str]) -> bytes:
    """One panel per metric: each curve is a fusion variant over the swept parameter."""
    from matplotlib.figure import Figure

    with _style():
        metrics = list(labels)
        figure = Figure(figsize=(4.2 * len(metrics), 3.6))
        for j, metric in enumerate(metrics):
            axes = figure.add_subplot(1, len(metrics), j + 1)
            for i, (label, xs, ys) in enumerate(curves):
                colour = COLOURS[i % len(COLOURS)]
                axes.plot(xs, ys[metric], marker="o", markersize=3, label=label, color=colour)
            axes.set_xlabel(x_label)
            axes.set_title(f"{labels[metric]}（dev）", fontsize=10)
            axes.ticklabel_format(axis="y", useOffset=False)
            axes.grid(alpha=0.3)
        figure.axes[0].legend(fontsize=8)
        return _png(figure)


def confidence_histogram(
    top_confidence: Mapping[str, Sequence[float]], *, threshold: float
) -> bytes:
    """Top-1 confidence of answerable and of no-fit needs, with the min_confidence line."""
    from matplotlib.figure import Figure

    with _style():
        figure = Figure(figsize=(6.0, 3.4))
        axes = figure.add_subplot()
        bins = [i / 20 for i in range(21)]
        for i, (label, values) in enumerate(top_confidence.items()):
            axes.hist(values, bins=bins, alpha=0.6, label=f"{label}（{len(values)}）",
                      color=COLOURS[i % len(COLOURS)])  # fmt: skip
        axes.axvline(threshold, color="#333", linestyle="--", linewidth=1)
        axes.text(
            threshold, axes.get_ylim()[1] * 0.95, f" min_confidence={threshold:g}", fontsize=8
        )
        axes.set_xlabel("第一名的置信度")
        axes.set_ylabel("需求数")
        axes.legend(fontsize=8)
        return _png(figure)
