"""Matchmaking events (Art.20(2)): the organiser's event, its manufacturers' needs, each need's
shortlist in the organiser's order with notes, and the computed lists (per need diversified
with MMR, per event, or a bundle covering a multi-aspect need)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.schemas.common import InputSchema, LocalDateTime, ReadSchema
from api.schemas.match import MatchFilters
from registry.library import VISIBLE
from registry.models.events import EventNeed, EventType, MatchEvent, ShortlistItem
from registry.models.library import LibraryEntry
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.workflow import ENTRY_STATE_LABELS

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$"
ResourceCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=CODE_PATTERN)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class EventCreate(InputSchema):
    """An event as the organiser describes it."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    event_type: EventType = Field(description="供需对接会 / 专场推介会 / 技术交流会")
    held_on: date
    city: str = Field(max_length=20, examples=["佛山市"], description="举办地（广东省地级以上市）")
    industry_focus: list[str] = Field(
        default_factory=list, max_length=31, description="重点行业：GB/T 4754-2017 代码，如 C29"
    )
    description: Note = ""


class NeedCreate(InputSchema):
    """One manufacturer's need at the event, with optional matching filters."""

    company: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    filters: MatchFilters = Field(default_factory=MatchFilters)

    def stored_filters(self) -> dict[str, list[str]]:
        """The filters as the registry stores them (empty facets left out)."""
        return {name: values for name, values in self.filters.model_dump().items() if values}


class ShortlistCompute(InputSchema):
    """How to compute a need's shortlist (it replaces the computed part of the stored one)."""

    k: int = Field(default=8, ge=1, le=30, description="候选资源数（组合方案时忽略）")
    allow_same_provider: bool = Field(default=False, description="允许同一申报单位的多项资源")
    mmr_lambda: float = Field(
        default=0.7, ge=0.0, le=1.0, description="MMR：1 只看相关度，越小越强调多样性"
    )
    bundle: bool = Field(default=False, description="多方面需求：组合互补资源覆盖各个方面")


class ItemCreate(InputSchema):
    """A library resource the organiser adds by hand."""

    resource_code: ResourceCode
    note: Note = ""


class OrderUpdate(InputSchema):
    """The shortlist's new order: every resource code of it exactly once."""

    codes: list[ResourceCode] = Field(min_length=1, max_length=100)


class NoteUpdate(InputSchema):
    """The organiser's note on one shortlisted resource."""

    note: Note


@dataclass(frozen=True, slots=True)
class ResourceFacts:
    """What a shortlist shows of a resource, read from the registry."""

    title: str
    provider: str
    city: str
    directions: tuple[str, ...]
    state: str  # 在库 / 预警整改中 / 不在资源库 …
    in_library: bool


def resource_facts(session: Session, codes: Sequence[str]) -> dict[str, ResourceFacts]:
    """The facts of the resources `codes` name (a code never certified has none)."""
    if not codes:
        return {}
    rows = session.execute(
        select(Resource, Organisation, LibraryEntry)
        .join(Organisation, Resource.organisation_id == Organisation.id)
        .join(LibraryEntry, LibraryEntry.resource_id == Resource.id)
        .where(Resource.code.in_(list(set(codes))))
    )
    facts = {}
    for resource, org, entry in rows:
        directions = tuple(d.value for d in resource.direction_values)
        facts[resource.code] = ResourceFacts(resource.title, org.name, org.city, directions,
                                             ENTRY_STATE_LABELS[entry.status],
                                             entry.status in VISIBLE)  # fmt: skip
    return facts


class ItemRead(ReadSchema):
    """One resource on a need's shortlist."""

    position: int
    resource_code: str
    title: str
    provider: str
    provider_city: str
    directions: list[str]
    library_state: str = Field(description="资源库状态；已移出的资源仍保留在清单中并标明")
    in_library: bool
    match_rank: int | None = Field(description="匹配排名；null 为组织方人工添加")
    score: float | None
    aspects: list[str] = Field(description="组合方案中该资源覆盖的需求方面")
    note: str
    detail_url: str

    @classmethod
    def of(cls, item: ShortlistItem, facts: Mapping[str, ResourceFacts]) -> ItemRead:
        """The item with the registry's facts of its resource."""
        fact = facts.get(item.resource_code) or ResourceFacts(
            item.resource_code, "", "", (), "不在资源库", False
        )
        return cls(
            position=item.position, resource_code=item.resource_code, title=fact.title,
            provider=fact.provider, provider_city=fact.city, directions=list(fact.directions),
            library_state=fact.state, in_library=fact.in_library, match_rank=item.match_rank,
            score=item.score, aspects=list(item.aspects), note=item.note,
            detail_url=f"/library/{item.resource_code}",
        )  # fmt: skip


class NeedRead(ReadSchema):
    """A manufacturer's need with its shortlist in the organiser's order."""

    id: int
    position: int
    company: str
    text: str
    filters: dict[str, list[str]]
    items: list[ItemRead]

    @classmethod
    def of(cls, need: EventNeed, facts: Mapping[str, ResourceFacts]) -> NeedRead:
        """The need and its items."""
        return cls(
            id=need.id, position=need.position, company=need.company, text=need.text,
            filters={k: list(v) for k, v in need.filters.items()},
            items=[ItemRead.of(item, facts) for item in need.items],
        )  # fmt: skip


class EventSummaryRead(ReadSchema):
    """An event in a list."""

    id: int
    title: str
    event_type: EventType
    held_on: date
    city: str
    industry_focus: list[str]
    description: str
    need_count: int
    item_count: int
    created_at: LocalDateTime
    updated_at: LocalDateTime

    @classmethod
    def fields(cls, event: MatchEvent) -> dict[str, object]:
        """The summary's fields of an event."""
        return dict(
            id=event.id, title=event.title, event_type=event.event_type, held_on=event.held_on,
            city=event.city, industry_focus=list(event.industry_focus),
            description=event.description, need_count=len(event.needs),
            item_count=sum(len(n.items) for n in event.needs), created_at=event.created_at,
            updated_at=event.updated_at,
        )  # fmt: skip

    @classmethod
    def of(cls, event: MatchEvent) -> EventSummaryRead:
        """The summary of an event."""
        return cls.model_validate(cls.fields(event))


class EventRead(EventSummaryRead):
    """An event with every need and its shortlist."""

    needs: list[NeedRead]
    export_url: str

    @classmethod
    def with_needs(cls, event: MatchEvent, facts: Mapping[str, ResourceFacts]) -> EventRead:
        """The event with its needs."""
        return cls.model_validate(
            {
                **cls.fields(event),
                "needs": [NeedRead.of(n, facts) for n in event.needs],
                "export_url": f"/api/v1/events/{event.id}/export.xlsx",
            }
        )


class ComputedRead(ReadSchema):
    """What the matcher said when the shortlist was computed."""

    bundle: bool
    no_suitable_resource: bool
    reason: str = Field(description="ok / empty_query / no_candidates / low_confidence")
    aspects: list[str] = Field(description="组合方案：需求被拆分出的方面")
    uncovered: list[str] = Field(description="组合方案：没有资源覆盖的方面")
    kept_by_hand: list[str] = Field(description="重新计算时保留的人工添加资源")


class NeedShortlistRead(ReadSchema):
    """A need after its shortlist was computed and stored."""

    need: NeedRead
    computed: ComputedRead


class NeedRankRead(ReadSchema):
    """A need a resource of the event list answers, and its rank there."""

    need_id: int
    position: int
    company: str
    rank: int


class EventEntryRead(ReadSchema):
    """One resource of the event-wide list."""

    resource_code: str
    title: str
    provider: str
    provider_id: str
    confidence: float
    flags: list[str]
    needs: list[NeedRankRead]
    detail_url: str


class EventShortlistRead(ReadSchema):
    """The event-wide list: every need's ranking combined, diversified with MMR."""

    event_id: int
    k: int
    allow_same_provider: bool
    no_suitable_resource: bool
    reason: str = Field(description="ok / low_confidence / no_needs …")
    entries: list[EventEntryRead]
