"""Running a need search on the live index and explaining its answer for people: the API's
`POST /api/v1/match` and the need-search page both call `search`.

Every text shown is a display field of an indexed (certified, public) document, so offsets of
matched terms point into exactly the text returned beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from api.errors import search_errors
from api.highlight import Span, excerpt
from api.ranking import DEFAULT_NAME, ranking_config
from api.schemas.library import IndustryRead
from api.schemas.match import (
    BundlePartRead,
    BundleRead,
    EvidenceCaseRead,
    FieldRead,
    MatchRequest,
    MatchResultRead,
    ResourceMatchRead,
    RetrieverRead,
    SpanRead,
)

if TYPE_CHECKING:
    from indexing.live import LiveIndex
    from matcher.types import (
        BundleResponse,
        Document,
        Filters,
        MatchedTerm,
        MatchResponse,
        ResourceMatch,
    )

RETRIEVER_LABELS = {"bm25": "关键词（BM25）", "dense": "语义（向量）"}
REASON_MESSAGES = {
    "empty_query": "需求中没有可检索的内容（只有标点、空格或常用虚词）。",
    "no_candidates": "在当前筛选条件下，资源库中没有与该需求相关的资源。",
    "low_confidence": "资源库中暂未找到与该需求足够匹配的资源，为避免误导，不列出勉强相关的结果。",
}
ADVICE = {
    "empty_query": [
        "用一两句话写明所在行业、产品或工艺，以及想解决的问题，例如“注塑件外观缺陷检测”。"
    ],
    "no_candidates": ["放宽或清除筛选条件（城市、形态、行业等）后再试。"],
    "low_confidence": [
        "换一种更具体的说法：写明工艺、设备、系统名称或希望达到的指标。",
        "多方面的需求可勾选“组合推荐”，分别匹配每个方面。",
        "资源库按季度认定新资源（第十条），可稍后再查，或咨询所在地市工业和信息化主管部门。",
    ],
}
EXCERPT_CHARS = 120


def _filters(body: MatchRequest) -> Filters | None:
    from indexing.query import make_filters

    given = body.filters.model_dump()
    for name, values in given.items():  # one at a time: an error names its filter
        with search_errors(loc=("body", "filters", name)):
            make_filters(**{name: values})
    return make_filters(**given)


async def search(live: LiveIndex, body: MatchRequest) -> MatchResultRead:
    """Match a need (or, with `bundle`, cover its aspects) and explain the answer; the index's
    and matcher's errors leave as the API's (`api.errors.search_error`)."""
    filters = _filters(body)
    config = ranking_config(body.config)
    with search_errors():
        if body.bundle:
            bundled = await live.match_bundle_async(body.need, filters=filters, config=config)
            return bundle_result(live, body, bundled)
        found = await live.match_async(body.need, k=body.k, filters=filters, config=config)
    return match_result(live, body, found)


def match_result(live: LiveIndex, body: MatchRequest, found: MatchResponse) -> MatchResultRead:
    """The API's view of a ranked answer."""
    results = _resources(live, found.matches)
    return _result(
        live,
        body,
        results,
        no_suitable=found.no_suitable_resource or not results,
        reason=found.reason if results or found.reason != "ok" else "no_candidates",
    )


def bundle_result(live: LiveIndex, body: MatchRequest, bundled: BundleResponse) -> MatchResultRead:
    """The API's view of a bundle: its resources, and which aspect each one covers."""
    results = _resources(live, [part.match for part in bundled.parts])
    shown = {r.code for r in results}
    bundle = BundleRead(
        aspects=list(bundled.aspects),
        parts=[
            BundlePartRead(code=p.match.resource_id, aspects=list(p.aspects))
            for p in bundled.parts
            if p.match.resource_id in shown
        ],
        uncovered=list(bundled.uncovered),
    )
    reason = "ok" if results else ("empty_query" if not bundled.aspects else "low_confidence")
    result = _result(live, body, results, no_suitable=not results, reason=reason)
    return result.model_copy(update={"bundle": bundle})


def _result(
    live: LiveIndex,
    body: MatchRequest,
    results: list[ResourceMatchRead],
    *,
    no_suitable: bool,
    reason: str,
) -> MatchResultRead:
    advice = list(ADVICE.get(reason, [])) if no_suitable else []
    if no_suitable and any(body.filters.model_dump().values()) and reason != "no_candidates":
        advice.insert(0, ADVICE["no_candidates"][0])
    return MatchResultRead(
        need=body.need,
        config=body.config or DEFAULT_NAME,
        results=results,
        no_suitable_resource=no_suitable,
        reason=reason,
        message=REASON_MESSAGES.get(reason, "暂无合适的资源。") if no_suitable else None,
        advice=advice,
        corpus_version=live.status().corpus_version,
    )


def _resources(live: LiveIndex, matches: Sequence[ResourceMatch]) -> list[ResourceMatchRead]:
    out: list[ResourceMatchRead] = []
    for match in matches:
        doc = live.document(match.resource_id)
        if doc is None:  # removed between the search and now: never show it
            continue
        out.append(resource_read(live, len(out) + 1, match, doc))
    return out


def resource_read(
    live: LiveIndex, rank: int, match: ResourceMatch, doc: Document
) -> ResourceMatchRead:
    """One matched resource with its reasons."""
    from indexing.documents import FIELD_LABELS

    fields = _fields(doc, match.matched_terms, FIELD_LABELS)
    display = dict(doc.fields)
    terms = [t.term for t in (*match.matched_terms, *match.evidence_terms)]
    return ResourceMatchRead(
        rank=rank,
        code=match.resource_id,
        title=fields[0],
        directions=list(doc.facets.get("direction", ())),
        form=next(iter(doc.facets.get("form", ())), ""),
        industries=[IndustryRead.of(c) for c in doc.facets.get("industry", ())],
        provider_name=display.get("provider", ""),
        provider_city=next(iter(doc.facets.get("city", ())), ""),
        provider_type=next(iter(doc.facets.get("provider_type", ())), ""),
        score=match.score,
        confidence=match.confidence,
        flags=list(match.flags),
        warned="warned" in match.flags,
        priority="priority" in match.flags,
        matched_terms=_distinct(terms),
        retrievers=[
            RetrieverRead(
                name=r.name, label=RETRIEVER_LABELS.get(r.name, r.name), rank=r.rank, score=r.score
            )
            for r in match.retrievers
        ],
        fields=fields[1:],
        evidence=_evidence(live, match),
        detail_url=f"/library/{match.resource_id}",
    )


def _distinct(terms: Sequence[str]) -> list[str]:
    """Each term once (case-folded), as first shown."""
    seen: dict[str, str] = {}
    for term in terms:
        seen.setdefault(term.casefold(), term)
    return list(seen.values())


def _fields(doc: Document, terms: Sequence[MatchedTerm], labels: dict[str, str]) -> list[FieldRead]:
    """Every display field (title first) with the spans found in it."""
    return [
        FieldRead(
            name=name,
            label=labels.get(name, name),
            text=text,
            highlights=[
                SpanRead(start=t.start, end=t.end, term=t.term) for t in terms if t.field == name
            ],
        )
        for name, text in doc.display_fields()
    ]


def _evidence(live: LiveIndex, match: ResourceMatch) -> EvidenceCaseRead | None:
    from indexing.documents import CASE_SEPARATOR, FIELD_LABELS

    if match.evidence_doc_id is None:
        return None
    case = live.document(match.evidence_doc_id)
    if case is None or case.kind != "case" or CASE_SEPARATOR not in case.doc_id:
        return None
    fields = _fields(case, match.evidence_terms, FIELD_LABELS)
    by_name = {f.name: f for f in fields}
    results = by_name.get("results") or FieldRead(
        name="results", label=FIELD_LABELS["results"], text="", highlights=[]
    )
    text, spans = excerpt(
        results.text,
        [Span(s.start, s.end, s.term) for s in results.highlights],
        width=EXCERPT_CHARS,
    )
    return EvidenceCaseRead(
        case_id=int(case.doc_id.rsplit(CASE_SEPARATOR, 1)[1]),
        title=fields[0],
        client=by_name["client"].text if "client" in by_name else "",
        client_city=by_name["client_city"].text if "client_city" in by_name else "",
        client_industry=by_name["client_industry"].text if "client_industry" in by_name else "",
        results_excerpt=results.model_copy(
            update={
                "text": text,
                "highlights": [SpanRead(start=s.start, end=s.end, term=s.term) for s in spans],
            }
        ),
        fields=fields[1:],
    )
