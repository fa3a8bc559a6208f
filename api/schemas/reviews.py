"""Reviews: the city's opinion (Art.13), expert scores and the panel (Art.14, 22), objections
during publicity (Art.15), and the views of an application each reviewer gets."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, computed_field

from api.schemas.applications import ApplicationRead
from api.schemas.common import InputSchema, LocalDateTime, ReadSchema, VersionedAction
from api.schemas.organisations import OrganisationRead
from api.schemas.resources import EvidenceRead, ResourceRead
from registry.enums import ExpertCategory, MunicipalDecision, ObjectionDecision, PanelDecision
from registry.inputs import ScoreInput
from registry.models.reviews import ExpertPanel, ExpertScore
from registry.services.deadlines import OverdueItem

_SCORE = Field(ge=0, le=100)


class MunicipalDecisionCreate(VersionedAction):
    """The city's opinion: recommend, return for completion, or reject, with reasons."""

    decision: MunicipalDecision
    reasons: str = Field(min_length=1, max_length=4000)


class MunicipalReviewRead(ReadSchema):
    """An opinion of the city."""

    id: int
    city: str
    decision: MunicipalDecision
    reasons: str
    decided_at: LocalDateTime
    reviewer_user_id: int


class ScoreUpdate(InputSchema):
    """One expert's scores (0-100) on the four Art.14 criteria."""

    advancement: int = _SCORE
    maturity: int = _SCORE
    application_effect: int = _SCORE
    promotion_value: int = _SCORE
    comment: str = Field(default="", max_length=4000)

    def to_input(self) -> ScoreInput:
        """The registry's input."""
        return ScoreInput(**self.model_dump())


class ScoreRead(ReadSchema):
    """Scores of one expert and their mean."""

    advancement: int
    maturity: int
    application_effect: int
    promotion_value: int
    comment: str
    scored_at: LocalDateTime
    total: float

    @classmethod
    def of(cls, score: ExpertScore | None) -> ScoreRead | None:
        """The view of a score, if there is one."""
        return None if score is None else cls.model_validate(score)


class ConflictCreate(InputSchema):
    """An expert's declared conflict of interest with an organisation (Art.22)."""

    organisation_id: int
    reason: str = Field(min_length=1, max_length=4000)


class ConflictRead(ReadSchema):
    """A declared conflict of interest."""

    id: int
    organisation_id: int
    reason: str
    declared_at: LocalDateTime


class PanelAssign(InputSchema):
    """Experts to add to the application's panel."""

    expert_ids: list[int] = Field(min_length=1, max_length=20)


class PanelReportCreate(VersionedAction):
    """The panel's conclusion (Art.14)."""

    decision: PanelDecision
    summary: str = Field(min_length=1, max_length=8000)


class PanelReportRead(ReadSchema):
    """The panel's report."""

    decision: PanelDecision
    mean_score: float
    summary: str
    reported_at: LocalDateTime


class AssignmentRead(ReadSchema):
    """An expert on the panel and their score."""

    expert_id: int
    name: str
    category: ExpertCategory
    affiliation: str
    assigned_at: LocalDateTime
    score: ScoreRead | None


class PanelRead(ReadSchema):
    """The panel of an application (province only)."""

    id: int
    assignments: list[AssignmentRead]
    report: PanelReportRead | None

    @classmethod
    def of(cls, panel: ExpertPanel) -> PanelRead:
        """The province's view of a panel."""
        return cls(
            id=panel.id,
            assignments=[
                AssignmentRead(
                    expert_id=a.expert_id,
                    name=a.expert.name,
                    category=a.expert.category,
                    affiliation=a.expert.affiliation,
                    assigned_at=a.assigned_at,
                    score=ScoreRead.of(a.score),
                )
                for a in panel.assignments
            ],
            report=None if panel.report is None else PanelReportRead.model_validate(panel.report),
        )


class ObjectionCreate(InputSchema):
    """An objection received during publicity (Art.15)."""

    raised_by: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=8000)


class ObjectionDecisionCreate(VersionedAction):
    """Decide an objection: upheld rejects the application, unfounded lets it proceed."""

    upheld: bool
    reason: str = Field(min_length=1, max_length=4000)


class ObjectionRead(ReadSchema):
    """An objection and its decision."""

    id: int
    application_id: int
    raised_by: str
    content: str
    raised_at: LocalDateTime
    decision: ObjectionDecision | None
    decision_reason: str | None
    decided_at: LocalDateTime | None
    contact: str | None = Field(default=None, description="公众异议人的联系方式（仅省厅可见）")
    recorded_by_user_id: int | None = Field(default=None, exclude=True)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def from_public(self) -> bool:
        """True for an objection raised by the public on the publicity page (Art.15)."""
        return self.recorded_by_user_id is None


class ExpertRead(ReadSchema):
    """An expert of the pool, with the conflicts that bar them from one application."""

    id: int
    name: str
    category: ExpertCategory
    affiliation: str
    conflicts: list[str] = Field(default_factory=list, description="与所查申报的利益冲突")


class OverdueRead(ReadSchema):
    """An open review step past its deadline."""

    application_id: int
    resource_code: str
    organisation: str
    city: str
    status: str
    step: str
    article: str
    due_at: LocalDateTime
    overdue_days: int

    @classmethod
    def of(cls, item: OverdueItem, *, now: datetime) -> OverdueRead:
        """The view of an overdue step at `now`."""
        return cls(
            application_id=item.application_id,
            resource_code=item.resource_code,
            organisation=item.organisation,
            city=item.city,
            status=item.status.value,
            step=item.step,
            article=item.article,
            due_at=item.due_at,
            overdue_days=(now - item.due_at).days,
        )


class ReviewApplicationRead(ApplicationRead):
    """What every reviewer reads: the resource with cases, the applicant, the evidence."""

    resource: ResourceRead
    organisation: OrganisationRead
    evidence: list[EvidenceRead] = Field(description="资源佐证材料及申报单位财务材料")


class CityApplicationRead(ReviewApplicationRead):
    """The city's view: plus its opinions."""

    municipal_reviews: list[MunicipalReviewRead]


class ExpertApplicationRead(ReviewApplicationRead):
    """An assigned expert's view: plus their own score only (Art.22: independent scoring)."""

    my_score: ScoreRead | None
    panel_closed: bool


class ProvinceApplicationRead(CityApplicationRead):
    """The province's view: everything, including the panel, objections and waivers."""

    panel: PanelRead | None
    objections: list[ObjectionRead]
    years_waiver_reason: str | None
    platform_name: str | None
    platform_document: str | None
    platform_certified_on: date | None
    platform_valid_until: date | None
