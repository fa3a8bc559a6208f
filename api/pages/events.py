"""供需对接活动, the organiser's workbench (Art.20(2)): the events they run, a new event, and an
event's page — the manufacturers' needs, each need's shortlist computed on the live index and
then built by hand (add, drag or move up/down, note, remove), the event-wide list, and the xlsx
export. Every action is a form with the CSRF token; the scope is the registry's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.auth import Principal
from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import ROLE_HOMES, PageErrors, attempt, errors_of, flash, redirect, render
from api.pages.validation import form_data, parse
from api.permissions import ORGANISERS
from api.routes.events import compute_need_shortlist, event_need, event_read, live_index
from api.routes.events import overall_shortlist as event_list
from api.schemas.events import (
    ComputedRead,
    EventCreate,
    EventShortlistRead,
    EventSummaryRead,
    ItemCreate,
    NeedCreate,
    NoteUpdate,
    OrderUpdate,
    ShortlistCompute,
)
from registry.enums import Role
from registry.errors import InvalidInput
from registry.models.events import EventType
from registry.reference import GUANGDONG_CITIES, INDUSTRIES, Direction, Form
from registry.services import event_shortlists, events

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    "page.events": ORGANISERS,
    "page.events.create": ORGANISERS,
    "page.event": ORGANISERS,
    "page.event.need_add": ORGANISERS,
    "page.event.need_remove": ORGANISERS,
    "page.event.shortlist": ORGANISERS,
    "page.event.items": ORGANISERS,
}
ROLE_HOMES.setdefault(Role.ORGANISER, "/events")
CHOICES = {
    "event_types": [t.value for t in EventType],
    "cities": list(GUANGDONG_CITIES),
    "industries": list(INDUSTRIES.items()),
    "directions": [d.value for d in Direction],
    "forms": [f.value for f in Form],
}
FACETS = ("direction", "form", "industry", "city")


def events_view(
    request: Request, principal: Principal, session: Session, *,
    errors: PageErrors | None = None, form: dict[str, Any] | None = None,
) -> HTMLResponse:  # fmt: skip
    """The organiser's events and the form of a new one."""
    found = events.list_events(session=session, actor=principal.actor)
    return render(request, "events/list.html", {
        "events": [EventSummaryRead.of(e) for e in found], "errors": errors, "form": form or {},
        "choices": CHOICES,
    }, principal=principal, status_code=errors.status if errors else 200)  # fmt: skip


@router.get("/events", name="page.events")
def list_page(request: Request, principal: SignedInDep, session: SessionDep) -> HTMLResponse:
    """The events the organiser runs (provincial staff: all)."""
    return events_view(request, principal, session)


@router.post("/events", name="page.events.create")
async def create(
    request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """A new event; then its page, to add the needs."""
    data = await form_data(request, lists=("industry_focus",))

    def run() -> Response:
        created: list[int] = []

        def action() -> None:
            body = parse(EventCreate, data)
            event = events.create_event(session=session, actor=principal.actor, now=now,
                                        data=events.EventInput(
                                            title=body.title, event_type=body.event_type,
                                            held_on=body.held_on, city=body.city,
                                            industry_focus=tuple(body.industry_focus),
                                            description=body.description))  # fmt: skip
            created.append(event.id)

        errors = attempt(session, action)
        if errors:
            return events_view(request, principal, session, errors=errors, form=data)
        flash(request, "活动已创建。请添加参会企业的需求，再为每个需求生成候选清单。")
        return redirect(f"/events/{created[0]}")

    return await run_in_threadpool(run)


def event_view(
    request: Request, principal: Principal, session: Session, event_id: int, *,
    errors: PageErrors | None = None, at: str | None = None,
    overall: EventShortlistRead | None = None, overall_errors: PageErrors | None = None,
    form: dict[str, Any] | None = None,
) -> HTMLResponse:  # fmt: skip
    """An event's page; `errors` shown where `at` says (a need's id, "need" or None: top)."""
    event = events.get_event(session=session, actor=principal.actor, event_id=event_id)
    return render(request, "events/detail.html", {
        "event": event_read(session, event), "errors": errors, "errors_at": at,
        "overall": overall, "overall_errors": overall_errors, "form": form or {},
        "choices": CHOICES,
    }, principal=principal, status_code=errors.status if errors else 200)  # fmt: skip


@router.get("/events/{event_id}", name="page.event")
def event_page(
    event_id: int,
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    overall: Annotated[bool, Query()] = False,
    same_provider: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    """The event's needs and shortlists; with `overall`, the event-wide list as well."""
    found, problems = None, None
    if overall:
        event = events.get_event(session=session, actor=principal.actor, event_id=event_id)
        try:
            found = event_list(live=live_index(request), event=event, k=15,
                               allow_same_provider=same_provider, lambda_=0.7)  # fmt: skip
        except Exception as error:  # shown beside the list; the page itself still renders
            problems = errors_of(error)
    return event_view(request, principal, session, event_id, overall=found,
                      overall_errors=problems)  # fmt: skip


async def _act(
    request: Request, principal: Principal, session: Session, event_id: int,
    action: Callable[[dict[str, Any]], str], *, at: str | None, lists: tuple[str, ...] = (),
) -> Response:  # fmt: skip
    """Run a form's action: on success flash its message and go back to the event (at the
    anchor); refused, the event's page again with the errors where they belong."""
    data = await form_data(request, lists=lists)

    def run() -> Response:
        said: list[str] = []
        errors = attempt(session, lambda: said.append(action(data)))
        if errors:
            return event_view(request, principal, session, event_id, errors=errors, at=at,
                              form=data)  # fmt: skip
        flash(request, said[0])
        return redirect(f"/events/{event_id}" + (f"#need-{at}" if at and at.isdigit() else ""))

    return await run_in_threadpool(run)


@router.post("/events/{event_id}/needs", name="page.event.need_add")
async def need_add(
    event_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Add a manufacturer's need (optionally one value per facet to filter on)."""

    def action(data: dict[str, Any]) -> str:
        filters = {name: [data[name]] for name in FACETS if data.get(name)}
        body = parse(NeedCreate, {"company": data.get("company"), "text": data.get("text"),
                                  "filters": filters})  # fmt: skip
        events.add_need(session=session, actor=principal.actor, now=now, event_id=event_id,
                        data=events.NeedInput(body.company, body.text,
                                              body.stored_filters()))  # fmt: skip
        return f"已添加“{body.company}”的需求。"

    return await _act(request, principal, session, event_id, action, at="need")


@router.post("/events/{event_id}/needs/{need_id}/remove", name="page.event.need_remove")
async def need_remove(
    event_id: int, need_id: int, request: Request, principal: SignedInDep, session: SessionDep,
    now: NowDep,
) -> Response:  # fmt: skip
    """Take a need and its shortlist off the event."""

    def action(data: dict[str, Any]) -> str:
        need = event_need(session, principal.actor, event_id, need_id)
        company = need.company
        events.remove_need(session=session, actor=principal.actor, now=now, need_id=need_id)
        return f"已移除“{company}”的需求及其候选清单。"

    return await _act(request, principal, session, event_id, action, at=None)


@router.post("/events/{event_id}/needs/{need_id}/shortlist", name="page.event.shortlist")
async def shortlist(
    event_id: int, need_id: int, request: Request, principal: SignedInDep, session: SessionDep,
    now: NowDep,
) -> Response:  # fmt: skip
    """Compute the need's shortlist (diversified, or a bundle) on the live index."""

    def action(data: dict[str, Any]) -> str:
        options = parse(ShortlistCompute, {
            "k": data.get("k", 8), "bundle": data.get("mode") == "bundle",
            "allow_same_provider": data.get("allow_same_provider") == "on",
        })  # fmt: skip
        need = event_need(session, principal.actor, event_id, need_id)
        computed = compute_need_shortlist(session=session, actor=principal.actor, now=now,
                                          live=live_index(request), need=need,
                                          options=options)  # fmt: skip
        return computed_message(computed)

    return await _act(request, principal, session, event_id, action, at=str(need_id))


def computed_message(computed: ComputedRead) -> str:
    """What the organiser is told after a shortlist was computed."""
    if computed.bundle:
        said = f"组合方案已生成：需求拆分为 {len(computed.aspects)} 个方面"
        if computed.uncovered:
            said += f"，其中“{'”“'.join(computed.uncovered)}”暂无资源覆盖"
        return said + "。"
    if computed.no_suitable_resource:
        return "资源库中暂未找到与该需求足够匹配的资源，可人工添加或调整需求描述。"
    kept = f"，保留人工添加的 {len(computed.kept_by_hand)} 项" if computed.kept_by_hand else ""
    return f"候选清单已生成（同一申报单位至多一项，除非勾选允许）{kept}。"



def _move(data: dict[str, Any], codes: list[str], step: int) -> list[str]:
    code = str(data.get("resource_code", ""))
    if code not in codes:
        raise InvalidInput(f"{code} 不在该需求的候选清单中", code="shortlist_item_not_found")
    at = codes.index(code)
    other = min(max(at + step, 0), len(codes) - 1)
    codes[at], codes[other] = codes[other], codes[at]
    return codes


@router.post("/events/{event_id}/needs/{need_id}/items", name="page.event.items")
async def items(
    event_id: int, need_id: int, request: Request, principal: SignedInDep, session: SessionDep,
    now: NowDep,
) -> Response:  # fmt: skip
    """The shortlist builder: `action` add / up / down / order / note / remove."""

    def action(data: dict[str, Any]) -> str:
        need = event_need(session, principal.actor, event_id, need_id)
        actor, kind = principal.actor, data.get("action")
        current = [i.resource_code for i in need.items]
        if kind == "add":
            body = parse(ItemCreate, {"resource_code": data.get("resource_code"),
                                      "note": data.get("note", "")})  # fmt: skip
            event_shortlists.add_item(session=session, actor=actor, now=now, need_id=need_id,
                                      resource_code=body.resource_code, note=body.note)  # fmt: skip
            return f"已将 {body.resource_code} 加入候选清单。"
        if kind in ("up", "down", "order"):
            step = -1 if kind == "up" else 1
            order = (parse(OrderUpdate, {"codes": data.get("codes", [])}).codes
                     if kind == "order" else _move(data, current, step))  # fmt: skip
            event_shortlists.reorder(session=session, actor=actor, now=now, need_id=need_id,
                                     codes=order)  # fmt: skip
            return "顺序已调整。"
        code = str(data.get("resource_code", ""))
        if kind == "note":
            note = parse(NoteUpdate, {"note": data.get("note", "")}).note
            event_shortlists.annotate(session=session, actor=actor, now=now, need_id=need_id,
                                      resource_code=code, note=note)  # fmt: skip
            return f"{code} 的备注已保存。"
        if kind == "remove":
            event_shortlists.remove_item(session=session, actor=actor, now=now, need_id=need_id,
                                         resource_code=code)  # fmt: skip
            return f"已将 {code} 移出候选清单。"
        raise InvalidInput("未知的操作", code="unknown_action", loc=("action",))

    return await _act(request, principal, session, event_id, action, at=str(need_id),
                      lists=("codes",))  # fmt: skip
