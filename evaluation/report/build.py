"""Whole reports: evaluation (run / compare) and sweep, as blocks plus a JSON summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from evaluation.compare import Comparison
from evaluation.configuration import config_dict
from evaluation.metrics import HEADLINE, LABELS, PRIMARY_METRIC, RELEVANT_GRADE
from evaluation.nofit import is_answerable
from evaluation.report import plots
from evaluation.report.blocks import Block, Figure, Heading, Paragraph, Preformatted, Table
from evaluation.report.sections import (
    comparison_table,
    fmt,
    metric_table,
    nofit_needs,
    nofit_table,
    pct,
    unjudged_table,
    worst_needs,
)
from evaluation.scoring import RunEvaluation
from evaluation.sweep import SweepResult, stage_points

METRIC_NOTE = (
    "nDCG 以 0–3 级评分为增益（线性增益，log2 折损）；"
    f"MRR、Recall、MAP、P@5 只把评分 ≥ {RELEVANT_GRADE}（能解决部分或全部需求）的资源算作相关。"
    "指标只在“有合适资源”的需求上平均；"
    f"没有任何评分 ≥ {RELEVANT_GRADE} 的需求单独在“无合适资源”一节评估。"
)


@dataclass
class Context:
    """What every report states: the golden set, the split, the command, timings."""

    golden: str
    split: str
    command: str
    titles: Mapping[str, str]
    notes: list[str] = field(default_factory=list)
    seconds: Mapping[str, float] = field(default_factory=dict)


def _intro(ctx: Context, evaluations: Sequence[RunEvaluation]) -> list[Block]:
    first = evaluations[0]
    answerable = sum(is_answerable(j) for j in first.golden.qrels.values())
    split_note = {
        "test": "测试集（test）：只用于报告，从不用于调参。",
        "dev": "开发集（dev）：用于调参与选择，数字偏乐观。",
        "all": "全部需求（dev + test）：含调参所用的开发集，数字偏乐观。",
    }.get(ctx.split, ctx.split)
    lines = [
        f"黄金集 {ctx.golden}，划分 {ctx.split}：{len(first.golden.queries)} 条需求，"
        f"其中有合适资源 {answerable} 条、无合适资源 {len(first.golden.queries) - answerable} 条。"
        f"{split_note}",
        f"命令：{ctx.command}",
    ]
    timing = [
        f"{e.name} {ctx.seconds.get(e.name, e.run.seconds):.1f} 秒（每条中位数 "
        f"{e.run.median_query_ms():.0f} ms）"
        for e in evaluations
    ]
    lines.append("运行时间：" + "；".join(timing))
    return [Paragraph(line) for line in [*lines, *ctx.notes]]


def evaluation_blocks(
    ctx: Context, evaluations: Sequence[RunEvaluation], comparison: Comparison | None = None
) -> list[Block]:
    """The report of `funeng eval run` (and, with a comparison, of `funeng eval compare`)."""
    blocks: list[Block] = _intro(ctx, evaluations)
    blocks += [Heading("指标汇总"), Paragraph(METRIC_NOTE), metric_table(evaluations)]
    means = {e.name: e.means for e in evaluations}
    blocks.append(Figure("metrics", plots.metric_bars(means, {m: LABELS[m] for m in HEADLINE}),
                         f"主要指标（{ctx.split}）"))  # fmt: skip
    if comparison is not None:
        test = "Student 配对 t 检验" if comparison.stat_test == "student" else "Fisher 随机化检验"
        blocks += [
            Heading(f"显著性（对照：{comparison.names[0]}）"),
            Paragraph(
                f"{test}，双侧，p < {comparison.max_p:g} 记为显著（▲ 更好，▼ 更差）；"
                f"{comparison.n_queries} 条需求成对比较。"
            ),
            comparison_table(comparison),
            Paragraph("ranx 的对比表（上标字母：显著优于该行配置）："),
            Preformatted(comparison.ranx_table),
        ]
    blocks += _deltas(evaluations)
    blocks += [
        Heading("用户实际看到的结果"),
        Paragraph("去掉置信度低于 min_confidence 的结果后（服务的默认行为）再计算的指标。"),
        metric_table(evaluations, served=True),
        Heading("未评判的结果（评判的空洞）"),
        Paragraph("前 10 名中没有评判的资源按不相关计，所以这些数字是下限；占比高说明需要补评判。"),
        unjudged_table(evaluations),
        Heading("无合适资源的需求"),
        nofit_table(evaluations),
        *nofit_needs(evaluations, ctx.titles),
    ]
    for e in evaluations[:3]:
        blocks.append(_confidence_figure(e))
    for e in evaluations:
        blocks.append(Heading(f"最差的需求：{e.name}（按 nDCG@10）"))
        blocks += worst_needs(e, ctx.titles, count=8 if len(evaluations) == 1 else 5)
    return blocks


def _deltas(evaluations: Sequence[RunEvaluation]) -> list[Block]:
    if len(evaluations) < 2:
        return []
    base = evaluations[0]
    blocks: list[Block] = [Heading(f"逐条需求的差值（相对 {base.name}）")]
    for other in evaluations[1:]:
        deltas = {
            q: other.per_query[PRIMARY_METRIC][q] - v
            for q, v in base.per_query[PRIMARY_METRIC].items()
        }
        png = plots.per_query_deltas(deltas, metric_label=LABELS[PRIMARY_METRIC],
                                     title=f"{other.name} − {base.name}")  # fmt: skip
        blocks.append(Figure(f"deltas-{_slug(other.name)}", png, f"{other.name} 相对 {base.name}"))
    return blocks


def _confidence_figure(evaluation: RunEvaluation) -> Figure:
    groups: dict[str, list[float]] = {"有合适资源": [], "无合适资源": []}
    for query_id, result in evaluation.run.results.items():
        top = result.confidences[0] if result.confidences else 0.0
        fits = is_answerable(evaluation.golden.qrels[query_id])
        groups["有合适资源" if fits else "无合适资源"].append(top)
    threshold = evaluation.run.config.match.confidence.min_confidence
    png = plots.confidence_histogram(groups, threshold=threshold)
    caption = f"{evaluation.name}：第一名置信度的分布"
    return Figure(f"confidence-{_slug(evaluation.name)}", png, caption)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:60]


def sweep_blocks(ctx: Context, result: SweepResult, comparison: Comparison | None) -> list[Block]:
    """The report of `funeng eval sweep`: every dev point, curves, the choice, its test figures."""
    blocks: list[Block] = _intro_sweep(ctx, result)
    headers = (
        "阶段",
        "变化",
        "目标值（dev）",
        *(f"{LABELS[m]}（dev）" for m in HEADLINE),
        "误拒率",
    )
    rows = tuple(
        (
            p.stage,
            _changes(p.changes),
            fmt(p.objective) + ("" if p.eligible else "（超出误拒上限）"),
            *(fmt(p.evaluation.means[m]) for m in HEADLINE),
            pct(p.evaluation.nofit.false_no_suitable_rate),
        )
        for p in result.points
    )
    blocks += [
        Heading("开发集上的每个候选"),
        Table(headers, rows, numeric=frozenset({2, 3, 4, 5, 6})),
    ]
    blocks += _curves(result)
    blocks += [Heading("选中的配置"), Preformatted(yaml.safe_dump(config_dict(result.chosen),
               allow_unicode=True, sort_keys=False))]  # fmt: skip
    if result.chosen_test is not None and result.base_test is not None:
        tested = [result.base_test, result.chosen_test]
        blocks += [Heading("测试集上的结果（只报告，不参与选择）"), metric_table(tested)]
        if comparison is not None:
            blocks += [comparison_table(comparison)]
        blocks += _deltas(tested)
        blocks += [Heading("无合适资源（测试集）"), nofit_table(tested)]
    else:
        blocks.append(Paragraph("测试集为空：没有可报告的测试结果。"))
    return blocks


def _intro_sweep(ctx: Context, result: SweepResult) -> list[Block]:
    dev_points = len(result.points)
    lines = [
        f"黄金集 {ctx.golden}。{dev_points} 个候选都只在开发集（dev）上评估并据此选择；"
        "选中的配置与基准配置随后各在测试集（test）上运行一次，仅作报告。",
        f"基准配置：{result.spec.base.name}。命令：{ctx.command}",
        *ctx.notes,
    ]
    return [Paragraph(line) for line in lines]


def _changes(changes: Mapping[str, Any]) -> str:
    return "（当前最优）" if not changes else "，".join(f"{k}={v}" for k, v in changes.items())


def _curves(result: SweepResult) -> list[Block]:
    points = stage_points(result, "fusion")
    by_share: dict[str, list[tuple[float, Mapping[str, float]]]] = {}
    by_k: list[tuple[float, Mapping[str, float]]] = []
    for p in points:
        match = p.config.match
        if "bm25_share" in p.changes:
            label = match.fusion if match.fusion != "score" else f"score/{match.normalisation}"
            by_share.setdefault(label, []).append(
                (float(p.changes["bm25_share"]), p.evaluation.means)
            )
        elif "rrf_k" in p.changes and match.fusion == "rrf":
            by_k.append((float(p.changes["rrf_k"]), p.evaluation.means))
    labels = {m: LABELS[m] for m in HEADLINE}
    blocks: list[Block] = []
    if by_share:
        curves = [(label, *_series(values)) for label, values in by_share.items()]
        png = plots.sweep_curves(curves, x_label="BM25 权重占比（dense = 1 − 该值）", labels=labels)
        blocks.append(Figure("sweep-weights", png, "指标随融合权重的变化（开发集）"))
    if by_k:
        png = plots.sweep_curves([("rrf", *_series(by_k))], x_label="RRF 的 k", labels=labels)
        blocks.append(Figure("sweep-rrf-k", png, "指标随 RRF k 的变化（开发集）"))
    return blocks


def _series(
    values: list[tuple[float, Mapping[str, float]]],
) -> tuple[list[float], dict[str, list[float]]]:
    values = sorted(values, key=lambda v: v[0])
    return [x for x, _ in values], {m: [v[m] for _, v in values] for m in HEADLINE}


def summary_json(evaluations: Sequence[RunEvaluation], ctx: Context) -> dict[str, Any]:
    """Machine-readable figures of a report (results.json)."""
    return {
        "golden": ctx.golden,
        "split": ctx.split,
        "command": ctx.command,
        "configs": {
            e.name: {
                "config": config_dict(e.run.config),
                "needs": len(e.golden.queries),
                "answerable": len(e.per_query[PRIMARY_METRIC]),
                "means": e.means,
                "served_means": e.served_means,
                "nofit": {
                    "abstention_rate": e.nofit.abstention_rate,
                    "false_no_suitable_rate": e.nofit.false_no_suitable_rate,
                    "no_fit": len(e.nofit.no_fit),
                },
                "unjudged_top10": {"count": e.unjudged.count, "slots": e.unjudged.slots},
                "seconds": ctx.seconds.get(e.name, e.run.seconds),
                "median_query_ms": e.run.median_query_ms(),
            }
            for e in evaluations
        },
    }
