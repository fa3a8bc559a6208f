"""Resources (Art.2, 5, 9(1)), their cases (Art.9(2)) and evidence documents (Art.9(3)-(4))
as their provider and the reviewers see them."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.schemas.common import InputSchema, LocalDateTime, ReadSchema
from registry.inputs import CaseInput, ResourceInput
from registry.models.resources import Case, EvidenceDocument, Resource
from registry.reference import Direction, Form
from registry.seed_schema import EvidenceKind

_TEXT = Field(min_length=1, max_length=20000)


class ResourceUpdate(InputSchema):
    """A resource's Art.9(1) information (replaces it while no review is under way)."""

    title: str = Field(min_length=1, max_length=200)
    directions: list[Direction] = Field(description="第五条赋能方向，可多选")
    form: Form
    industries: list[str] = Field(description="GB/T 4754-2017 C13–C43", examples=[["C39"]])
    summary: str = _TEXT
    advantages: str = _TEXT
    indicators: str = _TEXT
    scenarios: str = _TEXT
    keywords: list[str] = Field(default_factory=list, max_length=30)
    consortium_uscc: list[str] = Field(
        default_factory=list, max_length=20, description="综合赋能联合体其他成员的统一社会信用代码"
    )

    def to_input(self, code: str | None = None) -> ResourceInput:
        """The registry's input."""
        return ResourceInput(
            code=code,
            title=self.title,
            directions=tuple(self.directions),
            form=self.form,
            industries=tuple(self.industries),
            summary=self.summary,
            advantages=self.advantages,
            indicators=self.indicators,
            scenarios=self.scenarios,
            keywords=tuple(self.keywords),
            consortium_uscc=tuple(self.consortium_uscc),
        )


class ResourceCreate(ResourceUpdate):
    """A new resource; the code is generated when not given."""

    code: str | None = Field(default=None, max_length=16, pattern=r"^[A-Za-z0-9\-]+$")


class CaseCreate(InputSchema):
    """An application case (典型案例, Art.9(2))."""

    title: str = Field(min_length=1, max_length=200)
    client: str = Field(min_length=1, max_length=200)
    client_city: str = Field(min_length=1, max_length=20)
    client_industry: str = Field(min_length=3, max_length=3, examples=["C39"])
    started_on: date
    completed_on: date
    implementation: str = _TEXT
    results: str = _TEXT
    feedback: str = _TEXT
    feedback_on: date

    def to_input(self) -> CaseInput:
        """The registry's input."""
        return CaseInput(**self.model_dump())


class CaseRead(ReadSchema):
    """A case of a resource."""

    id: int
    position: int
    title: str
    client: str
    client_city: str
    client_industry: str
    started_on: date
    completed_on: date
    implementation: str
    results: str
    feedback: str
    feedback_on: date


class StoredFileRead(ReadSchema):
    """An uploaded file: name, type, size and SHA-256 checksum."""

    filename: str
    content_type: str
    size_bytes: int
    sha256: str


class EvidenceRead(ReadSchema):
    """An evidence document (its file is downloaded separately by those who may read it)."""

    id: int
    kind: EvidenceKind
    title: str
    number: str | None
    issued_on: date
    expires_on: date | None
    issuer: str | None
    resource_id: int | None = Field(description="为空表示申报单位的财务材料")
    file: StoredFileRead
    created_at: LocalDateTime

    @classmethod
    def of(cls, document: EvidenceDocument) -> EvidenceRead:
        """The metadata of one evidence document."""
        return cls.model_validate(document)


class ResourceRead(ReadSchema):
    """A resource with its cases and evidence, as its provider and reviewers see it."""

    id: int
    code: str
    organisation_id: int
    title: str
    directions: list[Direction]
    form: Form
    industries: list[str]
    summary: str
    advantages: str
    indicators: str
    scenarios: str
    keywords: list[str]
    consortium: list[str] = Field(description="联合体成员名称")
    cases: list[CaseRead]
    evidence: list[EvidenceRead]
    created_at: LocalDateTime
    updated_at: LocalDateTime

    @classmethod
    def of(cls, resource: Resource) -> ResourceRead:
        """The full view of a resource."""
        return cls(
            id=resource.id,
            code=resource.code,
            organisation_id=resource.organisation_id,
            title=resource.title,
            directions=resource.direction_values,
            form=resource.form,
            industries=resource.industry_codes,
            summary=resource.summary,
            advantages=resource.advantages,
            indicators=resource.indicators,
            scenarios=resource.scenarios,
            keywords=list(resource.keywords),
            consortium=[m.organisation.name for m in resource.consortium],
            cases=[CaseRead.model_validate(c) for c in resource.cases],
            evidence=[EvidenceRead.of(d) for d in resource.evidence],
            created_at=resource.created_at,
            updated_at=resource.updated_at,
        )


def case_read(case: Case) -> CaseRead:
    """The view of one case."""
    return CaseRead.model_validate(case)
