"""What the API sends for the library after certification (Art.18, 19, 21): annual reports,
warnings and rectification, voluntary withdrawals, direct removals with their ban and credit
referral, priority, and the sweep's flags. Each read schema is built from the registry's
rows or views by `of(...)`; deadlines carry whether they are overdue and the days left."""

from __future__ import annotations

from datetime import date

from api.schemas.common import LocalDateTime, ReadSchema
from registry.enums import LibraryStatus
from registry.findings import article_zh
from registry.models.monitoring import (
    AnnualReport,
    FlagKind,
    LibraryWarning,
    MonitoringFlag,
    RemovalGround,
    WarningReason,
    WarningStatus,
    WithdrawalRequest,
    WithdrawalStatus,
)
from registry.services import warnings, withdrawals
from registry.services.annual_reports import ReportState, ReportStatus
from registry.services.removals import GROUND_LABELS, RemovalResult
from registry.workflow import ENTRY_STATE_LABELS

REPORT_STATE_LABELS = {
    ReportState.FILED: "已报送",
    ReportState.FILED_LATE: "逾期报送",
    ReportState.MISSING: "逾期未报",
    ReportState.DUE: "待报送",
}
WARNING_STATUS_LABELS = {
    WarningStatus.OPEN: "整改中",
    WarningStatus.RECTIFIED: "已提交整改，待省厅审核",
    WarningStatus.CLOSED: "已解除预警",
    WarningStatus.REMOVED: "已移出资源库",
    WarningStatus.WITHDRAWN: "资源已退出资源库",
}
FLAG_LABELS = {
    FlagKind.ANNUAL_REPORT_MISSING: "年度报告逾期未报（第十八条）",
    FlagKind.WARNING_OVERDUE: "预警整改期满（第十九条第（一）项）",
    FlagKind.BAN_ENDED: "禁止申报期届满",
    FlagKind.REVIEW_OVERDUE: "审核环节逾期（第十三至十五条）",
}


def days_left(due_on: date, today: date) -> int:
    """Days from `today` to the last day `due_on` (negative once it has passed)."""
    return (due_on - today).days


class AnnualReportStatusRead(ReadSchema):
    """Where one entry stands with its report on a year."""

    resource_code: str
    title: str
    organisation_id: int
    organisation: str
    city: str
    year: int
    due_on: date
    state: ReportState
    state_label: str
    overdue: bool
    submitted_at: LocalDateTime | None

    @classmethod
    def of(cls, status: ReportStatus) -> AnnualReportStatusRead:
        """From the registry's view."""
        return cls(
            resource_code=status.resource_code,
            title=status.title,
            organisation_id=status.organisation_id,
            organisation=status.organisation,
            city=status.city,
            year=status.year,
            due_on=status.due_on,
            state=status.state,
            state_label=REPORT_STATE_LABELS[status.state],
            overdue=status.state in (ReportState.MISSING, ReportState.FILED_LATE),
            submitted_at=status.submitted_at,
        )


class AnnualReportRead(ReadSchema):
    """A filed annual report."""

    id: int
    resource_code: str
    year: int
    promotion: str
    application_data: str
    technical_updates: str
    enterprises_served: int
    feedback: str
    due_on: date
    late: bool
    submitted_at: LocalDateTime

    @classmethod
    def of(cls, report: AnnualReport) -> AnnualReportRead:
        """From the registry's row."""
        return cls(
            id=report.id,
            resource_code=report.entry.resource.code,
            year=report.year,
            promotion=report.promotion,
            application_data=report.application_data,
            technical_updates=report.technical_updates,
            enterprises_served=report.enterprises_served,
            feedback=report.feedback,
            due_on=report.due_on,
            late=report.late,
            submitted_at=report.submitted_at,
        )


class WarningRead(ReadSchema):
    """A warning, its six-month deadline and what became of it."""

    id: int
    resource_code: str
    title: str
    organisation: str
    city: str
    status: WarningStatus
    status_label: str
    reasons: list[str]
    reason_codes: list[WarningReason]
    detail: str
    warned_at: LocalDateTime
    rectification_due_on: date
    overdue: bool
    days_left: int | None
    rectification: str | None
    rectified_at: LocalDateTime | None
    decided_at: LocalDateTime | None
    decision_note: str | None
    article: str = "Art.19(1)"

    @classmethod
    def of(cls, warning: LibraryWarning, *, today: date) -> WarningRead:
        """From the registry's row; `overdue` once the period ended with the warning open."""
        resource, is_open = warning.entry.resource, warning.status in warnings.OPEN
        codes = [WarningReason(r) for r in warning.reasons]
        return cls(
            id=warning.id,
            resource_code=resource.code,
            title=resource.title,
            organisation=resource.organisation.name,
            city=resource.organisation.city,
            status=warning.status,
            status_label=WARNING_STATUS_LABELS[warning.status],
            reasons=[warnings.REASON_LABELS[c] for c in codes],
            reason_codes=codes,
            detail=warning.detail,
            warned_at=warning.warned_at,
            rectification_due_on=warning.rectification_due_on,
            overdue=is_open and today > warning.rectification_due_on,
            days_left=days_left(warning.rectification_due_on, today) if is_open else None,
            rectification=warning.rectification,
            rectified_at=warning.rectified_at,
            decided_at=warning.decided_at,
            decision_note=warning.decision_note,
        )


class WithdrawalRead(ReadSchema):
    """A voluntary withdrawal request and where it is."""

    id: int
    resource_code: str
    title: str
    organisation_id: int
    organisation: str
    city: str
    status: WithdrawalStatus
    status_label: str
    reason: str
    requested_at: LocalDateTime
    forwarded_at: LocalDateTime | None
    city_opinion: str | None
    decided_at: LocalDateTime | None
    decision_note: str | None
    article: str = "Art.19(3)"

    @classmethod
    def of(cls, request: WithdrawalRequest) -> WithdrawalRead:
        """From the registry's row."""
        resource = request.entry.resource
        return cls(
            id=request.id,
            resource_code=resource.code,
            title=resource.title,
            organisation_id=request.organisation_id,
            organisation=resource.organisation.name,
            city=request.city,
            status=request.status,
            status_label=withdrawals.LABELS[request.status],
            reason=request.reason,
            requested_at=request.requested_at,
            forwarded_at=request.forwarded_at,
            city_opinion=request.city_opinion,
            decided_at=request.decided_at,
            decision_note=request.decision_note,
        )


class BanSummaryRead(ReadSchema):
    """The three-year ban on applying that a removal imposes."""

    id: int
    starts_on: date
    ends_on: date
    article: str


class ReferralRead(ReadSchema):
    """A credit-report referral (Art.21) and whether it was sent."""

    id: int
    organisation_id: int
    removal_id: int
    article: str
    content: str
    created_at: LocalDateTime
    reported_at: LocalDateTime | None
    reference: str | None


class RemovalRead(ReadSchema):
    """What a direct removal did, or (`dry_run`) would do: entries removed, applications
    voided, the ban and its end date, the credit referral."""

    dry_run: bool
    organisation_id: int
    organisation: str
    ground: RemovalGround
    ground_label: str
    article: str
    article_zh: str
    reason: str
    removed_codes: list[str]
    voided_application_ids: list[int]
    ban: BanSummaryRead
    credit_referral: ReferralRead | None

    @classmethod
    def of(cls, result: RemovalResult, *, organisation: str, dry_run: bool) -> RemovalRead:
        """From the registry's result."""
        removal = result.removal
        referral = result.referral
        return cls(
            dry_run=dry_run,
            organisation_id=removal.organisation_id,
            organisation=organisation,
            ground=removal.ground,
            ground_label=GROUND_LABELS[removal.ground],
            article=removal.article,
            article_zh=article_zh(removal.article),
            reason=removal.reason,
            removed_codes=list(result.removed_codes),
            voided_application_ids=list(result.voided_application_ids),
            ban=BanSummaryRead.model_validate(result.ban),
            credit_referral=None if referral is None else ReferralRead.model_validate(referral),
        )


class FlagRead(ReadSchema):
    """An open flag of the daily sweep (`funeng sweep`)."""

    id: int
    kind: FlagKind
    kind_label: str
    article: str
    article_zh: str
    organisation_id: int | None
    city: str | None
    resource_code: str | None
    message: str
    due_on: date | None
    raised_at: LocalDateTime

    @classmethod
    def of(cls, flag: MonitoringFlag) -> FlagRead:
        """From the registry's row."""
        return cls(
            id=flag.id,
            kind=flag.kind,
            kind_label=FLAG_LABELS[flag.kind],
            article=flag.article,
            article_zh=article_zh(flag.article),
            organisation_id=flag.organisation_id,
            city=flag.city,
            resource_code=flag.resource_code,
            message=flag.message,
            due_on=flag.due_on,
            raised_at=flag.raised_at,
        )


class EntryRead(ReadSchema):
    """A library entry as its provider and the province see it, with what is pending on it."""

    resource_code: str
    title: str
    organisation_id: int
    organisation: str
    city: str
    status: LibraryStatus
    status_label: str
    priority: bool
    certified_at: LocalDateTime
    updated_at: LocalDateTime
    open_warning_id: int | None = None
    rectification_due_on: date | None = None
    warning_overdue: bool = False
    pending_withdrawal_id: int | None = None
    report_year: int | None = None
    report_state: ReportState | None = None
    report_state_label: str | None = None
    report_due_on: date | None = None


def state_label(status: LibraryStatus) -> str:
    """The Chinese label of a library state."""
    return ENTRY_STATE_LABELS[status]
