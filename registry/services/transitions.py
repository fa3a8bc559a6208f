"""Carrying out a workflow transition: the optimistic-locked status change, its side effects,
one history row and one audit row, all in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from registry import workflow
from registry.actor import Actor
from registry.audit import record, snapshot
from registry.calendar_store import work_calendar
from registry.enums import ApplicationStatus, LibraryEventKind, LibraryStatus
from registry.errors import Conflict
from registry.library import record_event
from registry.models.applications import Application, ApplicationHistory
from registry.models.library import LibraryEntry
from registry.services.notifications import notify_status
from registry.workflow import Effect, Event

_AUDITED = (
    "status",
    "version",
    "received_at",
    "municipal_due_at",
    "expert_due_at",
    "publicity_due_at",
    "decided_at",
)


def fire(
    *,
    session: Session,
    application: Application,
    event: Event,
    actor: Actor,
    now: datetime,
    note: str | None = None,
    expected_version: int | None = None,
) -> Application:
    """Apply `event` (checked against the table and the actor's role), then any follow-ups."""
    if expected_version is not None and application.version != expected_version:
        raise conflict(application.id)
    transition = workflow.check(application.status, event, role=actor.role, route=application.route)
    _apply(session, application, event, transition.target, actor, now, note)
    while (follow := workflow.follow_up(application.status, application.route)) is not None:
        nxt = workflow.check(
            application.status, follow, role=actor.role, route=application.route, automatic=True
        )
        _apply(session, application, follow, nxt.target, actor, now, None)
    return application


def touch(
    *,
    session: Session,
    application: Application,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Bump the version for a decision that changes no status (e.g. an unfounded objection),
    so two staff deciding at once still yield one change and one Conflict."""
    if expected_version is not None and application.version != expected_version:
        raise conflict(application.id)
    application_id = application.id
    application.updated_at = now
    try:
        session.flush()
    except StaleDataError as exc:
        raise conflict(application_id) from exc


def conflict(application_id: int) -> Conflict:
    """The error for a change that lost the race with another actor."""
    return Conflict(
        f"申报 {application_id} 已被他人处理，请刷新后重试",
        code="application_changed",
        loc=("application", application_id),
    )


def _apply(
    session: Session,
    application: Application,
    event: Event,
    target: ApplicationStatus,
    actor: Actor,
    now: datetime,
    note: str | None,
) -> None:
    previous, application_id = application.status, application.id
    before = snapshot(application, _AUDITED)
    planned = workflow.effects(previous, target)
    with session.no_autoflush:  # one UPDATE per transition: one version step
        application.status = target
        application.updated_at = now
        for effect in planned:
            _update_fields(effect, session, application, now)
    try:
        session.flush()  # the UPDATE checks `version`: a concurrent change leaves 0 rows
    except StaleDataError as exc:
        # The session is unusable now (the caller rolls back): report with what we read before.
        raise conflict(application_id) from exc
    session.add(
        ApplicationHistory(
            application_id=application_id, from_status=previous, to_status=target,
            event=event.value, actor_user_id=actor.user_id, actor_role=actor.role, at=now,
            note=note,
        )
    )  # fmt: skip
    after = snapshot(application, _AUDITED) | ({"note": note} if note else {})
    record(session, actor=actor, now=now, action=f"application.{event.value}",
           object_type="application", object_id=application_id, before=before,
           after=after)  # fmt: skip
    for effect in planned:
        _write_rows(effect, session, application, now, note)
    session.flush()


def _update_fields(
    effect: Effect, session: Session, application: Application, now: datetime
) -> None:
    """Effects on the application's own columns: written by the transition's one UPDATE."""
    match effect:
        case Effect.RECORD_SUBMISSION:
            application.submitted_at = now
        case Effect.START_MUNICIPAL_CLOCK:
            application.received_at = now
            application.municipal_due_at = work_calendar(session).due_at(
                now, workflow.MUNICIPAL_REVIEW_DAYS
            )
        case Effect.RECORD_RECOMMENDATION:
            application.recommended_at = now
        case Effect.START_EXPERT_CLOCK:
            application.received_at = now
            application.expert_due_at = work_calendar(session).due_at(
                now, workflow.EXPERT_REVIEW_DAYS
            )
        case Effect.START_PUBLICITY_CLOCK:
            application.publicity_started_at = now
            application.publicity_due_at = work_calendar(session).due_at(
                now, workflow.PUBLICITY_DAYS
            )
        case Effect.CLOSE:
            application.decided_at = now


def _write_rows(
    effect: Effect, session: Session, application: Application, now: datetime, note: str | None
) -> None:
    """Effects that write other rows, once the status change has won the optimistic lock."""
    match effect:
        case Effect.CREATE_LIBRARY_ENTRY:
            _enter_library(session, application, now)
        case Effect.NOTIFY_APPLICANT:
            notify_status(session=session, application=application, note=note, now=now)


def _enter_library(session: Session, application: Application, now: datetime) -> None:
    entry = session.scalar(
        select(LibraryEntry).where(LibraryEntry.resource_id == application.resource_id)
    )
    if entry is None:
        entry = LibraryEntry(resource_id=application.resource_id, priority=False, certified_at=now)
        session.add(entry)
    entry.application_id = application.id
    entry.status = LibraryStatus.CERTIFIED
    entry.certified_at = now
    entry.updated_at = now
    record_event(
        session, resource_code=application.resource.code, kind=LibraryEventKind.CERTIFIED, now=now
    )
