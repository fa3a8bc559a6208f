"""Providers' applications: start one in a batch, submit it (refused with every finding at
once), follow status, findings and deadlines, answer a return for completion, and read the
platform's notifications."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.deps import ActorDep, NowDep, SessionDep
from api.queries import preload
from api.routes import api_router
from api.routes.provider import own_organisation_id
from api.schemas.applications import (
    ApplicationCreate,
    ApplicationRead,
    ApplicationSummaryRead,
    FindingRead,
    NotificationRead,
    SubmissionRead,
    SubmitRequest,
)
from api.schemas.common import VersionedAction
from registry.enums import ApplicationStatus
from registry.services import access, notifications, submissions

router = api_router("/provider/applications", "申报单位")


@router.get("", name="provider.applications.list", summary="本单位的申报（状态与期限）")
def list_applications(
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    status: Annotated[ApplicationStatus | None, Query()] = None,
) -> list[ApplicationSummaryRead]:
    """The organisation's applications, newest first, with due dates and overdue flags."""
    found = access.visible_applications(session=session, actor=actor, status=status)
    preload(session, found)
    return [ApplicationSummaryRead.of(a, role=actor.role, now=now) for a in found]


@router.post(
    "", name="provider.applications.start", summary="在批次中新建申报（草稿）", status_code=201
)
def start_application(
    body: ApplicationCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> ApplicationRead:
    """A draft application of one of the provider's resources."""
    application = submissions.start_application(
        session=session,
        actor=actor,
        now=now,
        resource_id=body.resource_id,
        batch_code=body.batch_code,
        route=body.route,
        direct_entry=body.direct_entry.to_input() if body.direct_entry else None,
    )
    result = ApplicationRead.of(application, role=actor.role, now=now)
    session.commit()
    return result


@router.get("/{application_id}", name="provider.applications.get", summary="申报详情")
def get_application(
    application_id: int, actor: ActorDep, session: SessionDep, now: NowDep
) -> ApplicationRead:
    """Status, deadlines, stored findings and history (with the reasons of a return)."""
    application = access.get_application(
        session=session, actor=actor, application_id=application_id
    )
    return ApplicationRead.of(application, role=actor.role, now=now)


@router.post(
    "/{application_id}/submit",
    name="provider.applications.submit",
    summary="提交申报（形式审查不通过时一次列出全部问题）",
)
def submit(
    application_id: int, body: SubmitRequest, actor: ActorDep, session: SessionDep, now: NowDep
) -> SubmissionRead:
    """Submit a draft: 422 with every blocking finding, or the application and its warnings."""
    result = submissions.submit_application(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        commitment_signed=body.commitment_signed,
        expected_version=body.expected_version,
    )
    session.expire(result.application, ["findings", "history"])
    response = SubmissionRead(
        application=ApplicationRead.of(result.application, role=actor.role, now=now),
        findings=[FindingRead.of(f) for f in result.findings],
    )
    session.commit()
    return response


@router.post(
    "/{application_id}/resubmit",
    name="provider.applications.resubmit",
    summary="补正后重新提交（退回补正的申报）",
)
def resubmit(
    application_id: int, body: VersionedAction, actor: ActorDep, session: SessionDep, now: NowDep
) -> SubmissionRead:
    """Answer a return for completion: checked again as of the first submission date."""
    result = submissions.resubmit_application(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        expected_version=body.expected_version,
    )
    session.expire(result.application, ["findings", "history"])
    response = SubmissionRead(
        application=ApplicationRead.of(result.application, role=actor.role, now=now),
        findings=[FindingRead.of(f) for f in result.findings],
    )
    session.commit()
    return response


notifications_router = api_router("/provider", "申报单位")


@notifications_router.get(
    "/notifications", name="provider.notifications", summary="平台通知（第十五条）"
)
def list_notifications(
    actor: ActorDep,
    session: SessionDep,
    unread_only: Annotated[bool, Query()] = False,
) -> list[NotificationRead]:
    """The platform's messages to the provider's organisation, newest first."""
    found = notifications.notifications_for(
        session=session,
        actor=actor,
        organisation_id=own_organisation_id(actor),
        unread_only=unread_only,
    )
    return [NotificationRead.model_validate(n) for n in found]
