"""The public library: certified resources with their cases, facets, batches, publicity.

Nothing here carries evidence files, finances, contacts or unpublished applications.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.schemas.common import LocalDateTime, Page, ReadSchema
from registry.library import CaseView, LibraryEntryView
from registry.reference import INDUSTRIES


class IndustryRead(ReadSchema):
    """A GB/T 4754-2017 manufacturing division."""

    code: str = Field(examples=["C39"])
    name: str = Field(examples=["计算机、通信和其他电子设备制造业"])

    @classmethod
    def of(cls, code: str) -> IndustryRead:
        """The division with its Chinese name."""
        return cls(code=code, name=INDUSTRIES.get(code, code))


class PublicCaseRead(ReadSchema):
    """An application case of a certified resource (典型案例)."""

    id: int
    title: str
    client: str
    client_city: str
    client_industry: IndustryRead
    started_on: date
    completed_on: date
    implementation: str
    results: str
    feedback: str
    feedback_on: date

    @classmethod
    def of(cls, case: CaseView) -> PublicCaseRead:
        """The public view of a case."""
        return cls(
            id=case.id,
            title=case.title,
            client=case.client,
            client_city=case.client_city,
            client_industry=IndustryRead.of(case.client_industry),
            started_on=case.started_on,
            completed_on=case.completed_on,
            implementation=case.implementation,
            results=case.results,
            feedback=case.feedback,
            feedback_on=case.feedback_on,
        )


class LibraryResourceRead(ReadSchema):
    """A resource in the library as listed (资源库条目)."""

    code: str
    title: str
    directions: list[str]
    form: str
    industries: list[IndustryRead]
    summary: str
    provider_name: str
    provider_city: str
    provider_type: str
    status: str = Field(description="certified 已认定 / warned 已预警（第十九条第（一）项）")
    priority: bool = Field(description="优先推广（第十九条第（四）项）")
    certified_on: date
    case_count: int

    @classmethod
    def of(cls, entry: LibraryEntryView) -> LibraryResourceRead:
        """The listing of one library entry."""
        return cls(**_common(entry), case_count=len(entry.cases))


class LibraryResourceDetailRead(LibraryResourceRead):
    """A resource in the library with everything public about it and its cases."""

    advantages: str
    indicators: str
    scenarios: str
    keywords: list[str]
    consortium_names: list[str]
    cases: list[PublicCaseRead]

    @classmethod
    def of(cls, entry: LibraryEntryView) -> LibraryResourceDetailRead:
        """The detail of one library entry."""
        return cls(
            **_common(entry),
            case_count=len(entry.cases),
            advantages=entry.advantages,
            indicators=entry.indicators,
            scenarios=entry.scenarios,
            keywords=list(entry.keywords),
            consortium_names=list(entry.consortium_names),
            cases=[PublicCaseRead.of(c) for c in entry.cases],
        )


def _common(entry: LibraryEntryView) -> dict[str, object]:
    return {
        "code": entry.resource_code,
        "title": entry.title,
        "directions": list(entry.directions),
        "form": entry.form,
        "industries": [IndustryRead.of(code) for code in entry.industries],
        "summary": entry.summary,
        "provider_name": entry.provider_name,
        "provider_city": entry.provider_city,
        "provider_type": entry.provider_type,
        "status": entry.status.value,
        "priority": entry.priority,
        "certified_on": entry.certified_on,
    }


class FacetValueRead(ReadSchema):
    """One value of a facet and how many resources have it under the other filters."""

    value: str
    label: str
    count: int
    selected: bool


class LibraryPageRead(Page[LibraryResourceRead]):
    """A page of the library with facet counts (each facet counted under the other filters)."""

    facets: dict[str, list[FacetValueRead]]


class BatchRead(ReadSchema):
    """A quarterly batch (Art.10) and whether it accepts applications today."""

    code: str
    title: str
    opens_on: date
    deadline_on: date
    accepting: bool


class PublicityItemRead(ReadSchema):
    """A resource proposed for certification, in its publicity period (公示, Art.15)."""

    application_id: int
    resource_code: str
    title: str
    directions: list[str]
    form: str
    provider_name: str
    provider_city: str
    batch: str
    publicity_started_at: LocalDateTime | None
    publicity_due_at: LocalDateTime | None
