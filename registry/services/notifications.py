"""Notifications to applicants through the platform (Art.15: the result is fed back online)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_organisation, require_role
from registry.enums import ApplicationStatus, NotificationKind, Role
from registry.models.applications import Application, Notification

_KIND = {
    ApplicationStatus.CERTIFIED: NotificationKind.CERTIFIED,
    ApplicationStatus.REJECTED: NotificationKind.REJECTED,
    ApplicationStatus.VOIDED: NotificationKind.REJECTED,
    ApplicationStatus.RETURNED: NotificationKind.RETURNED,
}
_TEXT = {
    ApplicationStatus.CERTIFIED: "已正式认定并纳入广东省制造业赋能资源库",
    ApplicationStatus.REJECTED: "未通过认定",
    ApplicationStatus.VOIDED: "经查实存在违规情形，本次申报无效（第二十一条）",
    ApplicationStatus.RETURNED: "被退回补正，请按初审意见补充材料后重新提交",
    ApplicationStatus.PUBLICITY: "已列入拟认定名单，进入公示（5 个工作日）",
}


def notify_status(
    *, session: Session, application: Application, note: str | None, now: datetime
) -> Notification:
    """Tell the applicant organisation about the application's new status."""
    resource = application.resource
    text = _TEXT.get(application.status, f"状态变更为 {application.status.value}")
    message = f"您申报的赋能资源“{resource.title}”（{resource.code}）{text}"
    if note:
        message += f"。说明：{note}"
    notification = Notification(
        organisation_id=resource.organisation_id,
        application_id=application.id,
        kind=_KIND.get(application.status, NotificationKind.STATUS_CHANGED),
        message=message,
        created_at=now,
    )
    session.add(notification)
    return notification


def notifications_for(
    *, session: Session, actor: Actor, organisation_id: int, unread_only: bool = False
) -> list[Notification]:
    """The notifications of the actor's own organisation, newest first."""
    require_role(actor, Role.PROVIDER)
    require_organisation(actor, organisation_id)
    query = select(Notification).where(Notification.organisation_id == organisation_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(session.scalars(query.order_by(Notification.id.desc())))
