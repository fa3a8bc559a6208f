"""`funeng match "需求"`: ranked resources for a need, with the reasons each one matched."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.index_cmd import StageBars, fail, open_live_index
from api.settings import Settings

if TYPE_CHECKING:
    from indexing.live import LiveIndex
    from matcher.types import BundleResponse, MatchedTerm, MatchResponse, ResourceMatch

NAME = ""
app = typer.Typer()

REASONS = {
    "empty_query": "需求中没有可检索的内容，请换个说法",
    "no_candidates": "没有符合筛选条件且相关的资源",
    "low_confidence": "资源库中暂无足够匹配的资源",
}
FLAG_LABELS = {"warned": "⚠ 预警中", "priority": "★ 优先推广", "low_confidence": "匹配度较低"}
RETRIEVER_LABELS = {"bm25": "关键词（BM25）", "dense": "语义向量"}


@app.command("match")
def match(
    need: Annotated[str, typer.Argument(help="用中文描述的需求")],
    city: Annotated[
        list[str] | None, typer.Option("--city", help="申报单位所在城市，如 东莞")
    ] = None,
    direction: Annotated[list[str] | None, typer.Option("--direction", help="赋能方向")] = None,
    form: Annotated[list[str] | None, typer.Option("--form", help="资源形态")] = None,
    industry: Annotated[
        list[str] | None, typer.Option("--industry", help="行业代码，如 C29")
    ] = None,
    provider_type: Annotated[
        list[str] | None, typer.Option("--provider-type", help="申报单位类型")
    ] = None,
    status: Annotated[list[str] | None, typer.Option("--status", help="certified / warned")] = None,
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=100, help="返回资源数")] = 10,
    bundle: Annotated[bool, typer.Option("--bundle", help="多方面需求：组合互补资源")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """Match a need against the library (the index is caught up with the database first)."""
    from indexing.errors import IndexingError
    from indexing.query import make_filters
    from matcher.errors import MatcherError

    live = open_live_index(Settings())
    bars = StageBars()
    try:
        filters = make_filters(
            direction=direction or (),
            form=form or (),
            industry=industry or (),
            city=city or (),
            provider_type=provider_type or (),
            status=status or (),
        )
        if live.open(progress=bars) == "built":
            typer.echo("（没有可用的索引快照，已从资源库构建）", err=True)
        bars.close()
        if bundle:
            found_bundle = live.match_bundle(need, filters=filters)
            _print_bundle(live, found_bundle, as_json=as_json)
        else:
            _print_matches(live, need, live.match(need, k=k, filters=filters), as_json=as_json)
    except (IndexingError, MatcherError) as error:
        bars.close()
        raise fail(error) from error
    finally:
        live.close()


def _print_matches(live: LiveIndex, need: str, response: MatchResponse, *, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(asdict(response), ensure_ascii=False, indent=2))
        return
    typer.echo(f"需求：{need}")
    if response.no_suitable_resource and not response.matches:
        typer.echo(f"暂无合适的资源：{REASONS.get(response.reason, response.reason)}")
        return
    for rank, item in enumerate(response.matches, start=1):
        _print_one(live, rank, item)


def _print_bundle(live: LiveIndex, response: BundleResponse, *, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(asdict(response), ensure_ascii=False, indent=2))
        return
    typer.echo("需求的各个方面：" + "；".join(response.aspects))
    for rank, part in enumerate(response.parts, start=1):
        covered = "、".join(response.aspects[i] for i in part.aspects)
        typer.echo(f"\n组合第 {rank} 项，覆盖：{covered}")
        _print_one(live, rank, part.match)
    if response.uncovered:
        missing = "、".join(response.aspects[i] for i in response.uncovered)
        typer.echo(f"\n未能覆盖：{missing}")


def _print_one(live: LiveIndex, rank: int, item: ResourceMatch) -> None:
    from indexing.documents import FIELD_LABELS

    doc = live.document(item.resource_id)
    title = doc.title if doc else ""
    fields = dict(doc.fields) if doc else {}
    cities = "、".join(doc.facets.get("city", ())) if doc else ""
    flags = "  ".join(FLAG_LABELS.get(f, f) for f in item.flags)
    typer.echo(f"\n{rank:>2}. [{item.resource_id}] {title}  {flags}".rstrip())
    typer.echo(f"    申报单位：{fields.get('provider', '')}（{cities}）")
    typer.echo(f"    得分 {item.score:.4f}    置信度 {item.confidence:.2f}")
    runs = "；".join(
        f"{RETRIEVER_LABELS.get(r.name, r.name)} 第 {r.rank} 名（{r.score:.3f}）"
        for r in item.retrievers
    )
    typer.echo(f"    检索依据：{runs or '无'}")
    typer.echo(f"    命中词：{_terms(item.matched_terms, FIELD_LABELS) or '无'}")
    if item.evidence_doc_id is not None:
        case = live.document(item.evidence_doc_id)
        if case is not None:
            client = dict(case.fields).get("client", "")
            typer.echo(f"    佐证案例：{case.title}（{client}）")
            typer.echo(f"      命中词：{_terms(item.evidence_terms, FIELD_LABELS) or '无'}")


def _terms(terms: Sequence[MatchedTerm], labels: dict[str, str]) -> str:
    """`机器视觉（名称、简介）、缺陷检测（名称）`: each term once, with the fields it is in."""
    where: dict[str, list[str]] = {}
    for term in terms:
        fields = where.setdefault(term.term, [])
        label = labels.get(term.field, term.field)
        if label not in fields:
            fields.append(label)
    return "、".join(f"{term}（{'、'.join(fields)}）" for term, fields in where.items())
