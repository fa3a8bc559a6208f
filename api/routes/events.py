"""Matchmaking events (供需对接活动, Art.20(2)) for their organisers (provincial staff see all):
create an event, add manufacturers' needs, compute each need's shortlist on the live index
(diversified with MMR, one resource per provider unless allowed; or a bundle covering a
multi-aspect need), then add, remove, reorder and annotate its resources, see the event-wide
list, and export the event as xlsx. Another organiser's event is not found (404)."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote

from fastapi import Query, Request, Response
from sqlalchemy.orm import Session

from api.deps import ActorDep, NowDep, SessionDep
from api.errors import search_errors
from api.index_runtime import index_runtime
from api.routes import api_router
from api.schemas.events import (
    ComputedRead,
    EventCreate,
    EventEntryRead,
    EventRead,
    EventShortlistRead,
    EventSummaryRead,
    ItemCreate,
    ItemRead,
    NeedCreate,
    NeedRankRead,
    NeedRead,
    NeedShortlistRead,
    NoteUpdate,
    OrderUpdate,
    ShortlistCompute,
    resource_facts,
)
from api.views import FILE_RESPONSE
from registry.actor import Actor
from registry.errors import NotFound
from registry.models.events import EventNeed, MatchEvent
from registry.services import event_shortlists, events

if TYPE_CHECKING:
    from indexing.live import LiveIndex

router = api_router("/events", "供需对接活动")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("", name="events.list", summary="我组织的对接活动")
def list_events(actor: ActorDep, session: SessionDep) -> list[EventSummaryRead]:
    """The caller's events (provincial staff: all), soonest first."""
    return [EventSummaryRead.of(e) for e in events.list_events(session=session, actor=actor)]


@router.post("", name="events.create", summary="新建对接活动（第二十条第（二）项）",
             status_code=201)  # fmt: skip
def create_event(body: EventCreate, actor: ActorDep, session: SessionDep, now: NowDep) -> EventRead:
    """A new event owned by the caller."""
    data = events.EventInput(
        title=body.title, event_type=body.event_type, held_on=body.held_on, city=body.city,
        industry_focus=tuple(body.industry_focus), description=body.description,
    )  # fmt: skip
    event = events.create_event(session=session, actor=actor, now=now, data=data)
    result = event_read(session, event)
    session.commit()
    return result


@router.get("/{event_id}", name="events.get", summary="活动详情：企业需求与候选清单")
def get_event(event_id: int, actor: ActorDep, session: SessionDep) -> EventRead:
    """The event with every need and its shortlist in the organiser's order."""
    return event_read(session, events.get_event(session=session, actor=actor, event_id=event_id))


@router.post("/{event_id}/needs", name="events.needs.add", summary="添加企业需求", status_code=201)
def add_need(
    event_id: int, body: NeedCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> NeedRead:
    """A manufacturer's need, after the others (its shortlist starts empty)."""
    data = events.NeedInput(company=body.company, text=body.text, filters=body.stored_filters())
    need = events.add_need(session=session, actor=actor, now=now, event_id=event_id, data=data)
    result = NeedRead.of(need, {})
    session.commit()
    return result


@router.delete(
    "/{event_id}/needs/{need_id}", name="events.needs.remove", summary="移除企业需求",
    status_code=204,
)  # fmt: skip
def remove_need(
    event_id: int, need_id: int, actor: ActorDep, session: SessionDep, now: NowDep
) -> Response:
    """Take a need and its shortlist off the event."""
    event_need(session, actor, event_id, need_id)
    events.remove_need(session=session, actor=actor, now=now, need_id=need_id)
    session.commit()
    return Response(status_code=204)


@router.post(
    "/{event_id}/needs/{need_id}/shortlist",
    name="events.shortlist.compute",
    summary="生成需求的候选清单（MMR 多样化）或组合方案",
)
def compute_shortlist(
    event_id: int,
    need_id: int,
    body: ShortlistCompute,
    request: Request,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
) -> NeedShortlistRead:
    """Replace the computed part of the shortlist; resources added by hand and notes stay."""
    need = event_need(session, actor, event_id, need_id)
    computed = compute_need_shortlist(
        session=session, actor=actor, now=now, live=live_index(request), need=need, options=body
    )
    session.refresh(need)
    codes = [i.resource_code for i in need.items]
    result = NeedShortlistRead(need=NeedRead.of(need, resource_facts(session, codes)),
                               computed=computed)  # fmt: skip
    session.commit()
    return result


@router.get(
    "/{event_id}/shortlist", name="events.shortlist", summary="全场推荐清单（各需求合并后 MMR）"
)
def event_shortlist(
    event_id: int,
    request: Request,
    actor: ActorDep,
    session: SessionDep,
    k: Annotated[int, Query(ge=1, le=50)] = 15,
    allow_same_provider: bool = False,
    mmr_lambda: Annotated[float, Query(ge=0.0, le=1.0)] = 0.7,
) -> EventShortlistRead:
    """One list for the whole event, each need's best resources first, one per provider."""
    event = events.get_event(session=session, actor=actor, event_id=event_id)
    live = live_index(request)
    return overall_shortlist(live=live, event=event, k=k, allow_same_provider=allow_same_provider,
                             lambda_=mmr_lambda)  # fmt: skip


@router.post(
    "/{event_id}/needs/{need_id}/items", name="events.items.add", summary="人工添加资源",
    status_code=201,
)  # fmt: skip
def add_item(
    event_id: int, need_id: int, body: ItemCreate, actor: ActorDep, session: SessionDep,
    now: NowDep,
) -> ItemRead:  # fmt: skip
    """A library resource at the end of the need's shortlist."""
    event_need(session, actor, event_id, need_id)
    item = event_shortlists.add_item(session=session, actor=actor, now=now, need_id=need_id,
                                     resource_code=body.resource_code, note=body.note)  # fmt: skip
    result = ItemRead.of(item, resource_facts(session, [item.resource_code]))
    session.commit()
    return result


@router.put("/{event_id}/needs/{need_id}/order", name="events.items.reorder", summary="调整顺序")
def reorder(
    event_id: int, need_id: int, body: OrderUpdate, actor: ActorDep, session: SessionDep,
    now: NowDep,
) -> NeedRead:  # fmt: skip
    """Put the shortlist in the order of `codes` (each of its resources exactly once)."""
    need = event_need(session, actor, event_id, need_id)
    event_shortlists.reorder(session=session, actor=actor, now=now, need_id=need_id,
                             codes=body.codes)  # fmt: skip
    result = NeedRead.of(need, resource_facts(session, body.codes))
    session.commit()
    return result


@router.patch(
    "/{event_id}/needs/{need_id}/items/{resource_code}",
    name="events.items.annotate",
    summary="填写备注",
)
def annotate(
    event_id: int, need_id: int, resource_code: str, body: NoteUpdate, actor: ActorDep,
    session: SessionDep, now: NowDep,
) -> ItemRead:  # fmt: skip
    """Set the organiser's note on one shortlisted resource."""
    event_need(session, actor, event_id, need_id)
    item = event_shortlists.annotate(session=session, actor=actor, now=now, need_id=need_id,
                                     resource_code=resource_code, note=body.note)  # fmt: skip
    result = ItemRead.of(item, resource_facts(session, [resource_code]))
    session.commit()
    return result


@router.delete(
    "/{event_id}/needs/{need_id}/items/{resource_code}",
    name="events.items.remove",
    summary="移出候选清单",
    status_code=204,
)
def remove_item(
    event_id: int, need_id: int, resource_code: str, actor: ActorDep, session: SessionDep,
    now: NowDep,
) -> Response:  # fmt: skip
    """Take one resource off the shortlist; the rest close up."""
    event_need(session, actor, event_id, need_id)
    event_shortlists.remove_item(session=session, actor=actor, now=now, need_id=need_id,
                                 resource_code=resource_code)  # fmt: skip
    session.commit()
    return Response(status_code=204)


@router.get(
    "/{event_id}/export.xlsx",
    name="events.export",
    summary="导出活动（xlsx：活动概况 + 每个需求一张表）",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": FILE_RESPONSE[200]["description"]}},
)
def export(event_id: int, actor: ActorDep, session: SessionDep) -> Response:
    """The workbook the organiser takes to the event."""
    return event_xlsx(session, actor, event_id)


# Shared with the pages ------------------------------------------------------------------------


def event_need(session: Session, actor: Actor, event_id: int, need_id: int) -> EventNeed:
    """A need of an event the actor manages, which must be the event in the address."""
    need = events.get_need(session=session, actor=actor, need_id=need_id)
    if need.event_id != event_id:
        raise NotFound(f"该活动中没有此需求：{need_id}", code="need_not_found",
                       loc=("need", need_id))  # fmt: skip
    return need


def event_read(session: Session, event: MatchEvent) -> EventRead:
    """The event with its needs and the registry's facts of every shortlisted resource."""
    codes = [item.resource_code for need in event.needs for item in need.items]
    return EventRead.with_needs(event, resource_facts(session, codes))


def live_index(request: Request) -> LiveIndex:
    """The app's live index (503 while it is loading or when this deployment serves none)."""
    return index_runtime(request).require()


def compute_need_shortlist(
    *, session: Session, actor: Actor, now: datetime, live: LiveIndex, need: EventNeed,
    options: ShortlistCompute,
) -> ComputedRead:  # fmt: skip
    """Compute and store a need's shortlist; resources the organiser added by hand stay at the
    end (while they are in the library), and notes of resources kept survive."""
    from indexing.shortlists import NeedQuery, filters_of, items_for_storage, need_bundle
    from indexing.shortlists import need_shortlist as shortlist_of
    from registry.services.events import ItemInput, in_library

    query = NeedQuery(str(need.id), need.text, filters_of(need.filters))
    with search_errors():
        if options.bundle:
            plan = need_bundle(live, query)
            no_fit, reason = not plan.parts, "ok" if plan.parts else "low_confidence"
            aspects, uncovered = list(plan.aspects), list(plan.uncovered)
            computed = items_for_storage(plan)
        else:
            found = shortlist_of(live, query, k=options.k, lambda_=options.mmr_lambda,
                                 allow_same_provider=options.allow_same_provider)  # fmt: skip
            no_fit, reason, aspects, uncovered = found.no_suitable_resource, found.reason, [], []
            computed = items_for_storage(found)
    chosen = {item.resource_code for item in computed}
    by_hand = [i.resource_code for i in need.items if i.match_rank is None]
    alive = in_library(session, by_hand) if by_hand else set()
    kept = [code for code in by_hand if code in alive and code not in chosen]
    event_shortlists.save_shortlist(session=session, actor=actor, now=now, need_id=need.id,
                                    items=[*computed, *(ItemInput(c) for c in kept)])  # fmt: skip
    # A bundle stores every part; "nothing fits" is then told by the parts, not a reason code.
    return ComputedRead(bundle=options.bundle, no_suitable_resource=no_fit, reason=reason,
                        aspects=aspects, uncovered=uncovered, kept_by_hand=kept)  # fmt: skip


def overall_shortlist(
    *, live: LiveIndex, event: MatchEvent, k: int, allow_same_provider: bool, lambda_: float
) -> EventShortlistRead:
    """The event-wide list on the live index (computed, not stored)."""
    from indexing.shortlists import NeedQuery, filters_of
    from indexing.shortlists import event_shortlist as shortlist_of

    needs = {str(n.id): n for n in event.needs}
    queries = [NeedQuery(key, n.text, filters_of(n.filters)) for key, n in needs.items()]
    with search_errors():
        found = shortlist_of(live, queries, k=k, lambda_=lambda_,
                             allow_same_provider=allow_same_provider)  # fmt: skip
    entries = [
        EventEntryRead(
            resource_code=e.resource_id, title=e.title, provider=e.provider,
            provider_id=e.provider_id, confidence=e.confidence, flags=list(e.flags),
            needs=[NeedRankRead(need_id=needs[key].id, position=needs[key].position,
                                company=needs[key].company, rank=rank) for key, rank in e.needs],
            detail_url=f"/library/{e.resource_id}",
        )
        for e in found.entries
    ]  # fmt: skip
    return EventShortlistRead(event_id=event.id, k=k, allow_same_provider=allow_same_provider,
                              no_suitable_resource=found.no_suitable_resource or not entries,
                              reason=found.reason, entries=entries)  # fmt: skip


def event_xlsx(session: Session, actor: Actor, event_id: int) -> Response:
    """The event's workbook as a download."""
    from registry.event_export import event_workbook

    book = event_workbook(session=session, actor=actor, event_id=event_id)
    buffer = BytesIO()
    book.save(buffer)
    title = events.get_event(session=session, actor=actor, event_id=event_id).title
    filename = quote(f"对接活动{event_id}-{title}.xlsx")
    return Response(buffer.getvalue(), media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"event-{event_id}.xlsx\"; "
                               f"filename*=UTF-8''{filename}",
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff",
    })  # fmt: skip
