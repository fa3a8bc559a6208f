"""Matchmaking events (Art.20(2)): an organiser creates an event, adds the needs of the
manufacturers taking part, and keeps per need a shortlist of library resources that it orders
and annotates. Shortlists are computed by `indexing.shortlists` (the registry knows no search)
and stored here; organisers see and change only their own events, provincial staff all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role, signed_in
from registry.audit import record
from registry.enums import Role
from registry.errors import InvalidInput, NotFound
from registry.library import VISIBLE
from registry.models.events import EventNeed, EventType, MatchEvent
from registry.models.library import LibraryEntry
from registry.models.resources import Resource
from registry.reference import INDUSTRIES, Direction, Form, OrgType, is_guangdong_city

ARTICLE = "Art.20(2)"
MANAGERS = (Role.ORGANISER, Role.PROVINCIAL_STAFF)
# Facets a need may filter on, with the values each accepts (None: any city of the vocabulary).
FILTER_VALUES: Mapping[str, frozenset[str] | None] = {
    "direction": frozenset(Direction),
    "form": frozenset(Form),
    "industry": frozenset(INDUSTRIES),
    "city": None,
    "provider_type": frozenset(OrgType),
}


@dataclass(frozen=True, slots=True)
class EventInput:
    """An event as the organiser describes it."""

    title: str
    event_type: EventType
    held_on: date
    city: str
    industry_focus: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class NeedInput:
    """One manufacturer's need at the event."""

    company: str
    text: str
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ItemInput:
    """One resource of a computed shortlist (see `indexing.shortlists.items_for_storage`)."""

    resource_code: str
    match_rank: int | None = None
    score: float | None = None
    aspects: tuple[str, ...] = ()


def create_event(*, session: Session, actor: Actor, now: datetime, data: EventInput) -> MatchEvent:
    """A new event owned by the acting organiser (or staff)."""
    require_role(actor, *MANAGERS, article=ARTICLE)
    event_type = _event_type(data.event_type)
    if not data.title.strip():
        raise InvalidInput("请填写活动名称", code="event_title_required", loc=("title",))
    if not is_guangdong_city(data.city):
        raise InvalidInput(f"活动举办地应为广东省地级以上市：{data.city}", code="unknown_city",
                           loc=("city",))  # fmt: skip
    unknown = [c for c in data.industry_focus if c not in INDUSTRIES]
    if unknown:
        raise InvalidInput(f"未知的重点行业代码：{'、'.join(unknown)}", code="unknown_industry",
                           loc=("industry_focus",))  # fmt: skip
    event = MatchEvent(
        title=data.title.strip(), event_type=event_type, held_on=data.held_on, city=data.city,
        industry_focus=list(dict.fromkeys(data.industry_focus)),
        description=data.description.strip(), organiser_user_id=signed_in(actor),
        created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(event)
    session.flush()
    after = {"title": event.title, "type": event_type.value,
             "held_on": event.held_on.isoformat(), "city": event.city}  # fmt: skip
    record(session, actor=actor, now=now, action="event.create", object_type="match_event",
           object_id=event.id, after=after)  # fmt: skip
    return event


def _event_type(value: EventType | str) -> EventType:
    try:
        return EventType(value)
    except ValueError as exc:
        raise InvalidInput(f"未知的活动类型：{value}（供需对接会、专场推介会、技术交流会）",
                           code="event_type_invalid", article=ARTICLE,
                           loc=("event_type",)) from exc  # fmt: skip


def get_event(*, session: Session, actor: Actor, event_id: int) -> MatchEvent:
    """An event the actor manages; another organiser's event is not found."""
    require_role(actor, *MANAGERS, article=ARTICLE)
    event = session.get(MatchEvent, event_id)
    if event is None or (actor.role is Role.ORGANISER and event.organiser_user_id != actor.user_id):
        raise NotFound(f"对接活动不存在：{event_id}", code="event_not_found",
                       loc=("event", event_id))  # fmt: skip
    return event


def list_events(*, session: Session, actor: Actor) -> list[MatchEvent]:
    """Events the actor manages, soonest first."""
    require_role(actor, *MANAGERS, article=ARTICLE)
    query: Select[tuple[MatchEvent]] = select(MatchEvent)
    if actor.role is Role.ORGANISER:
        query = query.where(MatchEvent.organiser_user_id == actor.user_id)
    return list(session.scalars(query.order_by(MatchEvent.held_on, MatchEvent.id)))


def add_need(
    *, session: Session, actor: Actor, now: datetime, event_id: int, data: NeedInput
) -> EventNeed:
    """Add a manufacturer's need to the event, after the others."""
    event = get_event(session=session, actor=actor, event_id=event_id)
    if not data.company.strip() or not data.text.strip():
        raise InvalidInput("请填写企业名称和需求描述", code="need_incomplete", loc=("text",))
    filters = validate_filters(data.filters)
    need = EventNeed(event=event, position=len(event.needs) + 1, company=data.company.strip(),
                     text=data.text.strip(), filters=filters, created_at=now)  # fmt: skip
    session.add(need)
    event.updated_at = now
    session.flush()
    record(session, actor=actor, now=now, action="event.need_add", object_type="match_event",
           object_id=event.id, after={"need_id": need.id, "company": need.company})  # fmt: skip
    return need


def validate_filters(filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Filters of a need as stored: known facets, known values, no empty lists."""
    clean: dict[str, list[str]] = {}
    for name, values in filters.items():
        if name not in FILTER_VALUES:
            raise InvalidInput(
                f"未知的筛选条件：{name}", code="filter_unknown", loc=("filters", name)
            )
        allowed = FILTER_VALUES[name]
        listed = [values] if isinstance(values, str) else list(values)
        bad = [v for v in listed if (v not in allowed if allowed is not None else not _city(v))]
        if bad:
            raise InvalidInput(f"筛选条件“{name}”的取值无效：{'、'.join(map(str, bad))}",
                               code="filter_value_invalid", loc=("filters", name))  # fmt: skip
        if listed:
            clean[name] = list(dict.fromkeys(listed))
    return clean


def _city(value: str) -> bool:
    return is_guangdong_city(value) or value == "省外"


def get_need(*, session: Session, actor: Actor, need_id: int) -> EventNeed:
    """A need of an event the actor manages."""
    need = session.get(EventNeed, need_id)
    if need is None:
        raise NotFound(f"需求不存在：{need_id}", code="need_not_found", loc=("need", need_id))
    get_event(session=session, actor=actor, event_id=need.event_id)
    return need


def remove_need(*, session: Session, actor: Actor, now: datetime, need_id: int) -> None:
    """Take a need (and its shortlist) off the event; the others keep their order."""
    need = get_need(session=session, actor=actor, need_id=need_id)
    event = need.event
    event.needs.remove(need)
    for position, other in enumerate(event.needs, start=1):
        other.position = position
    event.updated_at = now
    session.flush()
    record(session, actor=actor, now=now, action="event.need_remove", object_type="match_event",
           object_id=event.id, before={"need_id": need_id, "company": need.company})  # fmt: skip


def in_library(session: Session, codes: Sequence[str]) -> set[str]:
    """The codes among `codes` that are certified or warned library entries now."""
    rows = session.scalars(
        select(Resource.code)
        .join(LibraryEntry, LibraryEntry.resource_id == Resource.id)
        .where(Resource.code.in_(list(codes)), LibraryEntry.status.in_(VISIBLE))
    )
    return set(rows)


def require_in_library(session: Session, codes: Sequence[str]) -> None:
    """InvalidInput naming the codes that are not in the library."""
    missing = [c for c in codes if c not in in_library(session, codes)]
    if missing:
        raise InvalidInput(f"以下资源不在资源库中：{'、'.join(missing)}",
                           code="resource_not_in_library", loc=("resource_code",))  # fmt: skip
