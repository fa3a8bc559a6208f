"""Applications: starting, submitting, their status with deadlines, findings and history, and
the notifications the platform sends to applicants."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from api.schemas.common import InputSchema, LocalDateTime, ReadSchema, VersionedAction
from registry.enums import ApplicationStatus as S
from registry.enums import NotificationKind, Role
from registry.findings import Finding, article_zh
from registry.inputs import DirectEntryInput
from registry.models.applications import Application, ApplicationFinding, ApplicationHistory
from registry.seed_schema import Route
from registry.workflow import STATE_LABELS, allowed_events


class DirectEntryCreate(InputSchema):
    """Art.17: the certifying document of a provincial-or-higher innovation platform."""

    platform: str = Field(min_length=1, max_length=200)
    document: str = Field(min_length=1, max_length=200, description="认定文件文号")
    certified_on: date
    valid_until: date

    def to_input(self) -> DirectEntryInput:
        """The registry's input."""
        return DirectEntryInput(**self.model_dump())


class ApplicationCreate(InputSchema):
    """A draft application of one of the provider's resources in a batch."""

    resource_id: int
    batch_code: str = Field(min_length=1, max_length=8, examples=["2026Q1"])
    route: Route = Field(
        default=Route.MUNICIPAL,
        description="municipal 地市初审 / provincial_direct 省级直报（第十六条）"
        " / direct_entry 直接入库（第十七条）",
    )
    direct_entry: DirectEntryCreate | None = None


class SubmitRequest(VersionedAction):
    """Submit a draft; `commitment_signed` is the signed commitment of Art.9(5)."""

    commitment_signed: bool


class FindingRead(ReadSchema):
    """A finding of the automated checks, citing its article."""

    code: str
    article: str
    article_zh: str
    severity: str
    message: str
    loc: list[str | int]

    @classmethod
    def of(cls, finding: Finding | ApplicationFinding) -> FindingRead:
        """The view of a finding, fresh from the checks or stored with the application."""
        return cls(
            code=finding.code,
            article=finding.article,
            article_zh=article_zh(finding.article),
            severity=finding.severity.value,
            message=finding.message,
            loc=list(finding.loc),
        )


class HistoryRead(ReadSchema):
    """One transition of the application."""

    from_status: S | None
    to_status: S
    event: str
    actor_role: Role
    at: LocalDateTime
    note: str | None

    @classmethod
    def of(cls, row: ApplicationHistory) -> HistoryRead:
        """The view of a history row."""
        return cls.model_validate(row)


_CLOCKS = {
    S.MUNICIPAL_REVIEW: "municipal_due_at",
    S.EXPERT_REVIEW: "expert_due_at",
    S.PUBLICITY: "publicity_due_at",
}


def current_due_at(application: Application) -> datetime | None:
    """The deadline of the step the application is in, if that step has one."""
    column = _CLOCKS.get(application.status)
    due: datetime | None = getattr(application, column) if column else None
    return due


class ApplicationSummaryRead(ReadSchema):
    """An application in a list: where it is, what is due when, and whether it is late."""

    id: int
    version: int
    status: S
    status_label: str
    route: Route
    batch: str
    resource_id: int
    resource_code: str
    resource_title: str
    organisation_name: str
    city: str
    submitted_at: LocalDateTime | None
    municipal_due_at: LocalDateTime | None
    expert_due_at: LocalDateTime | None
    publicity_due_at: LocalDateTime | None
    decided_at: LocalDateTime | None
    current_due_at: LocalDateTime | None
    overdue: bool
    allowed_actions: list[str] = Field(description="当前用户此刻可执行的流程动作")

    @classmethod
    def fields(cls, application: Application, *, role: Role, now: datetime) -> dict[str, object]:
        """The summary's fields, for this summary and the detail views built on it."""
        due = current_due_at(application)
        resource = application.resource
        events = allowed_events(application.status, role=role, route=application.route)
        return {
            "id": application.id,
            "version": application.version,
            "status": application.status,
            "status_label": STATE_LABELS[application.status],
            "route": application.route,
            "batch": application.batch.code,
            "resource_id": resource.id,
            "resource_code": resource.code,
            "resource_title": resource.title,
            "organisation_name": resource.organisation.name,
            "city": resource.organisation.city,
            "submitted_at": application.submitted_at,
            "municipal_due_at": application.municipal_due_at,
            "expert_due_at": application.expert_due_at,
            "publicity_due_at": application.publicity_due_at,
            "decided_at": application.decided_at,
            "current_due_at": due,
            "overdue": due is not None and due < now,
            "allowed_actions": [e.value for e in events],
        }

    @classmethod
    def of(cls, application: Application, *, role: Role, now: datetime) -> ApplicationSummaryRead:
        """The summary of one application for a caller of `role` at `now`."""
        return cls(**cls.fields(application, role=role, now=now))


class ApplicationRead(ApplicationSummaryRead):
    """An application as its provider sees it: stored findings and the full history (with the
    city's reasons when it was returned)."""

    findings: list[FindingRead]
    history: list[HistoryRead]

    @classmethod
    def of(cls, application: Application, *, role: Role, now: datetime) -> ApplicationRead:
        """The provider's view of an application."""
        return cls(
            **ApplicationSummaryRead.fields(application, role=role, now=now),
            findings=[FindingRead.of(f) for f in application.findings],
            history=[HistoryRead.of(h) for h in application.history],
        )


class SubmissionRead(ReadSchema):
    """A submitted application and the non-blocking findings stored for the reviewers."""

    application: ApplicationRead
    findings: list[FindingRead]


class NotificationRead(ReadSchema):
    """A message of the platform to the applicant (Art.15)."""

    id: int
    application_id: int | None
    kind: NotificationKind
    message: str
    created_at: LocalDateTime
    read_at: LocalDateTime | None
