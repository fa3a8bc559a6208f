"""Applications: drafting, the Art.7(1) waiver, submitting and resubmitting with the rule checks.

A submission that fails any hard rule is refused with ALL findings at once (`RuleViolation`)
and changes nothing; warnings and information are stored with the application for reviewers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_organisation, require_role
from registry.audit import record, snapshot
from registry.enums import ApplicationStatus, Role
from registry.errors import Conflict, NotFound, RuleViolation
from registry.findings import Finding
from registry.inputs import DirectEntryInput
from registry.library import VISIBLE
from registry.models.applications import Application, ApplicationFinding, Batch
from registry.models.library import LibraryEntry
from registry.models.resources import EvidenceDocument
from registry.rules import blocking, check_submission
from registry.seed_schema import Route
from registry.services.access import get_application
from registry.services.facts import applicant_facts, resource_facts, submission_facts
from registry.services.resources import get_resource
from registry.services.transitions import conflict, fire
from registry.workflow import FINAL_STATES, Event


@dataclass(frozen=True, slots=True)
class SubmissionResult:
    """The submitted application and the non-blocking findings stored with it."""

    application: Application
    findings: list[Finding]


def start_application(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    resource_id: int,
    batch_code: str,
    route: Route = Route.MUNICIPAL,
    direct_entry: DirectEntryInput | None = None,
) -> Application:
    """A draft application of the actor's resource in a batch."""
    require_role(actor, Role.PROVIDER)
    resource = get_resource(session=session, actor=actor, resource_id=resource_id)
    batch = session.scalar(select(Batch).where(Batch.code == batch_code))
    if batch is None:
        raise NotFound(
            f"申报批次不存在：{batch_code}", code="batch_not_found", article="Art.10",
            loc=("batch",),
        )  # fmt: skip
    _check_can_apply(session, resource.id)
    application = Application(
        resource=resource, batch=batch, route=route, status=ApplicationStatus.DRAFT,
        created_at=now, updated_at=now,
    )  # fmt: skip
    if direct_entry is not None:
        application.platform_name = direct_entry.platform
        application.platform_document = direct_entry.document
        application.platform_certified_on = direct_entry.certified_on
        application.platform_valid_until = direct_entry.valid_until
    session.add(application)
    session.flush()
    after = snapshot(application, ("status", "route"))
    after |= {"batch": batch.code, "resource": resource.code}
    record(session, actor=actor, now=now, action="application.create",
           object_type="application", object_id=application.id, after=after)  # fmt: skip
    return application


def _check_can_apply(session: Session, resource_id: int) -> None:
    """One open application per resource, and none for a resource already in the library."""
    open_app = session.scalar(
        select(Application.id).where(
            Application.resource_id == resource_id, Application.status.not_in(FINAL_STATES)
        )
    )
    if open_app is not None:
        raise Conflict("该资源已有未办结的申报", code="application_exists", loc=("resource_id",))
    listed = session.scalar(
        select(LibraryEntry.id).where(
            LibraryEntry.resource_id == resource_id, LibraryEntry.status.in_(VISIBLE)
        )
    )
    if listed is not None:
        raise Conflict("该资源已在资源库中", code="already_in_library", loc=("resource_id",))


def record_years_waiver(
    *, session: Session, actor: Actor, now: datetime, application_id: int, reason: str
) -> Application:
    """The province records its Art.7(1) waiver of the 2-year business requirement."""
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.7(1)")
    application = get_application(session=session, actor=actor, application_id=application_id)
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
        raise Conflict("只能在提交前登记业务年限放宽", code="waiver_too_late", article="Art.7(1)")
    before = snapshot(application, ("years_waiver_reason",))
    application.years_waiver_reason = reason
    application.years_waiver_by_user_id = actor.user_id
    application.updated_at = now
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="application.years_waiver",
        object_type="application",
        object_id=application.id,
        before=before,
        after=snapshot(application, ("years_waiver_reason",)),
    )
    return application


def check_application(
    *,
    session: Session,
    application: Application,
    submitted_at: datetime,
    commitment_signed: bool,
) -> list[Finding]:
    """Every finding of the rule checks for `application` submitted at `submitted_at`."""
    resource = application.resource
    financial = list(
        session.scalars(
            select(EvidenceDocument)
            .where(
                EvidenceDocument.organisation_id == resource.organisation_id,
                EvidenceDocument.resource_id.is_(None),
            )
            .order_by(EvidenceDocument.id)
        )
    )
    return check_submission(
        applicant=applicant_facts(resource.organisation, financial),
        resource=resource_facts(resource),
        submission=submission_facts(
            application, submitted_at=submitted_at, commitment_signed=commitment_signed
        ),
    )


def submit_application(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    commitment_signed: bool,
    expected_version: int | None = None,
) -> SubmissionResult:
    """Submit a draft: refused with all findings if any hard rule fails (Art.11)."""
    return _submit(
        session, actor, now, application_id, Event.SUBMIT, commitment_signed, expected_version
    )


def resubmit_application(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    expected_version: int | None = None,
) -> SubmissionResult:
    """Resubmit a returned application after completion; checked again as of its first date."""
    return _submit(session, actor, now, application_id, Event.RESUBMIT, True, expected_version)


def _submit(
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    event: Event,
    commitment_signed: bool,
    expected_version: int | None,
) -> SubmissionResult:
    require_role(actor, Role.PROVIDER, article="Art.11")
    application = get_application(session=session, actor=actor, application_id=application_id)
    require_organisation(actor, application.resource.organisation_id)
    if expected_version is not None and application.version != expected_version:
        raise conflict(application.id)
    # Art.12 counts from the application date: a resubmission keeps the first one.
    submitted_at = application.submitted_at if event is Event.RESUBMIT else now
    findings = check_application(
        session=session,
        application=application,
        submitted_at=submitted_at or now,
        commitment_signed=commitment_signed,
    )
    refused = blocking(findings)
    if refused:
        raise RuleViolation(
            f"申报未通过形式审查，共 {len(refused)} 项不符合《管理办法》的问题",
            code="submission_refused",
            findings=findings,
            loc=("application", application.id),
        )
    if commitment_signed and application.commitment_signed_at is None:
        application.commitment_signed_at = now
    fire(session=session, application=application, event=event, actor=actor, now=now)
    kept = _store_findings(session, application, findings, now)
    return SubmissionResult(application=application, findings=kept)


def _store_findings(
    session: Session, application: Application, findings: list[Finding], now: datetime
) -> list[Finding]:
    session.execute(
        delete(ApplicationFinding).where(ApplicationFinding.application_id == application.id)
    )
    for finding in findings:
        session.add(
            ApplicationFinding(
                application_id=application.id,
                code=finding.code,
                article=finding.article,
                severity=finding.severity,
                message=finding.message,
                loc=list(finding.loc),
                created_at=now,
            )
        )
    session.flush()
    return findings
