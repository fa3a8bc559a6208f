"""The sections of a report (tables and their notes) from scored runs; plots are in `plots`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evaluation.compare import Comparison
from evaluation.metrics import HEADLINE, LABELS, METRICS, PRIMARY_METRIC, RELEVANT_GRADE
from evaluation.report.blocks import Block, Heading, Paragraph, Table
from evaluation.scoring import UNJUDGED_DEPTH, RunEvaluation

WORST_SHOWN = 5  # results shown per worst need


def fmt(value: float | None, digits: int = 3) -> str:
    """A figure for people ("—" when not measurable)."""
    return "—" if value is None else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    """A share as a percentage."""
    return "—" if value is None else f"{100 * value:.1f}%"


def metric_table(evaluations: Sequence[RunEvaluation], *, served: bool = False) -> Table:
    """Mean of every metric per configuration (answerable needs)."""
    rows = []
    for e in evaluations:
        means = e.served_means if served else e.means
        rows.append(
            (e.name, str(len(e.per_query[PRIMARY_METRIC])), *(fmt(means[m]) for m in METRICS))
        )
    headers = ("配置", "需求数", *(LABELS[m] for m in METRICS))
    return Table(headers, tuple(rows), numeric=frozenset(range(1, len(headers))))


def unjudged_table(evaluations: Sequence[RunEvaluation]) -> Table:
    """Results in the top 10 that nobody judged, per configuration."""
    rows = tuple(
        (
            e.name,
            str(e.unjudged.count),
            str(e.unjudged.slots),
            pct(e.unjudged.share),
            str(len(e.unjudged.per_query)),
        )
        for e in evaluations
    )
    headers = ("配置", f"前 {UNJUDGED_DEPTH} 中未评判", "前 10 结果数", "占比", "涉及需求")
    return Table(headers, rows, numeric=frozenset({1, 2, 3, 4}))


def nofit_table(evaluations: Sequence[RunEvaluation]) -> Table:
    """Abstention on no-fit needs and false "no suitable" answers, per configuration."""
    rows = []
    for e in evaluations:
        n = e.nofit
        rows.append(
            (
                e.name,
                f"{len(n.abstained)}/{len(n.no_fit)}",
                pct(n.abstention_rate),
                f"{len(n.false_no_suitable)}/{len(n.answerable)}",
                pct(n.false_no_suitable_rate),
                fmt(n.balanced_accuracy()),
            )
        )
    headers = ("配置", "无合适需求被拒答", "拒答率↑", "有合适资源却拒答", "误拒率↓", "平衡准确率")
    return Table(headers, tuple(rows), numeric=frozenset({1, 2, 3, 4, 5}))


def nofit_needs(evaluations: Sequence[RunEvaluation], titles: Mapping[str, str]) -> list[Block]:
    """Each no-fit need and what every configuration answered."""
    first = evaluations[0]
    if not first.nofit.no_fit:
        return [Paragraph("本划分中没有“无合适资源”的需求。")]
    rows = []
    for query_id in first.nofit.no_fit:
        text = next(q.text for q in first.golden.queries if q.query_id == query_id)
        answers = []
        for e in evaluations:
            result = e.run.results[query_id]
            if result.no_suitable:
                answers.append("✓ 无合适资源")
            elif result.resource_ids:
                top = result.resource_ids[0]
                answers.append(f"✗ {top} {titles.get(top, '')[:16]}（{result.confidences[0]:.2f}）")
            else:
                answers.append("✓ 无结果")
        rows.append((query_id, text[:40], *answers))
    blocks: list[Block] = [Table(("需求", "内容", *(e.name for e in evaluations)), tuple(rows))]
    if first.nofit.tag_disagreements:
        listed = "、".join(first.nofit.tag_disagreements)
        blocks.append(Paragraph(f"标签 no_fit 与评判不一致的需求（请黄金集作者核对）：{listed}"))
    return blocks


def comparison_table(comparison: Comparison, metrics: Sequence[str] = HEADLINE) -> Table:
    """Each configuration against the baseline: mean, difference, p-value and marker per metric,
    and wins / ties / losses on the primary metric."""
    base = comparison.names[0]
    first = {m: comparison.test(comparison.names[1], m).baseline_mean for m in metrics}
    rows = [(base, *(f"{fmt(first[m])}（对照）" for m in metrics), "")]
    for other in comparison.names[1:]:
        cells = []
        for metric in metrics:
            t = comparison.test(other, metric)
            p = f"p={t.p_value:.3f}" if t.p_value >= 0.001 else "p<0.001"
            cells.append(f"{fmt(t.other_mean)} ({t.delta:+.3f}, {p}){t.marker()}")
        primary = comparison.test(other, PRIMARY_METRIC)
        rows.append((other, *cells, f"{primary.wins}/{primary.ties}/{primary.losses}"))
    headers = ("配置", *(LABELS[m] for m in metrics), f"胜/平/负（{LABELS[PRIMARY_METRIC]}）")
    return Table(headers, tuple(rows))


def grade_text(judged: Mapping[str, int], resource_id: str) -> str:
    """The grade of a result, or "未评" when nobody judged it."""
    return str(judged[resource_id]) if resource_id in judged else "未评"


def worst_needs(
    evaluation: RunEvaluation, titles: Mapping[str, str], *, count: int = 8
) -> list[Block]:
    """The needs with the lowest nDCG@10: top results beside the resources that fit."""
    scores = evaluation.per_query[PRIMARY_METRIC]
    worst = sorted(scores, key=lambda q: (scores[q], q))[:count]
    blocks: list[Block] = []
    for query_id in worst:
        query = next(q for q in evaluation.golden.queries if q.query_id == query_id)
        judged = evaluation.golden.qrels[query_id]
        result = evaluation.run.results[query_id]
        ranked = list(result.resource_ids)
        fitting = sorted(
            (r for r, g in judged.items() if g >= RELEVANT_GRADE), key=lambda r: -judged[r]
        )
        figures = "，".join(
            f"{LABELS[m]} {fmt(evaluation.per_query[m][query_id])}" for m in HEADLINE
        )
        tags = f"［{'、'.join(query.tags)}］" if query.tags else ""
        blocks.append(Heading(f"{query_id}{tags} {query.text[:60]}", level=3))
        blocks.append(
            Paragraph(f"{figures}；{'判为无合适资源' if result.no_suitable else '给出结果'}")
        )
        rows = []
        for i in range(max(WORST_SHOWN, len(fitting))):
            left = ("", "", "", "")
            if i < min(WORST_SHOWN, len(ranked)):
                rid = ranked[i]
                left = (str(i + 1), f"{rid} {titles.get(rid, '')}", grade_text(judged, rid),
                        f"{result.confidences[i]:.2f}")  # fmt: skip
            right = ("", "", "")
            if i < len(fitting):
                rid = fitting[i]
                rank = str(ranked.index(rid) + 1) if rid in ranked else f">{len(ranked)}"
                right = (f"{rid} {titles.get(rid, '')}", str(judged[rid]), rank)
            rows.append((*left, *right))
        headers = ("名次", "系统返回", "评分", "置信度", "评判为合适的资源", "评分", "其名次")
        blocks.append(Table(headers, tuple(rows), numeric=frozenset({0, 3, 6})))
    return blocks
