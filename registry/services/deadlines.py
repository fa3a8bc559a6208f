"""Overdue review steps: `*_due_at` is stored when a step starts, so this is a plain query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role
from registry.enums import ApplicationStatus as S
from registry.enums import Role
from registry.models.applications import Application
from registry.models.organisations import Organisation
from registry.models.resources import Resource

_STEPS = (
    (S.MUNICIPAL_REVIEW, Application.municipal_due_at, "Art.13", "地市初审"),
    (S.EXPERT_REVIEW, Application.expert_due_at, "Art.14", "专家评审"),
    (S.PUBLICITY, Application.publicity_due_at, "Art.15", "公示期满待认定"),
)


@dataclass(frozen=True, slots=True)
class OverdueItem:
    """An open step past its deadline."""

    application_id: int
    resource_code: str
    organisation: str
    city: str
    status: S
    step: str
    article: str
    due_at: datetime


def overdue(*, session: Session, actor: Actor, now: datetime) -> list[OverdueItem]:
    """Open steps whose deadline passed before `now` (a city sees only its own), oldest first."""
    require_role(actor, Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER, Role.ADMIN)
    query = (
        select(Application, Resource.code, Organisation.name, Organisation.city)
        .join(Resource, Application.resource_id == Resource.id)
        .join(Organisation, Resource.organisation_id == Organisation.id)
        .where(
            or_(
                *(
                    (Application.status == status) & (column < now)
                    for status, column, _, _ in _STEPS
                )
            )
        )
    )
    if actor.role is Role.MUNICIPAL_REVIEWER:
        query = query.where(
            Organisation.city == actor.city, Application.status == S.MUNICIPAL_REVIEW
        )
    items = []
    for application, code, name, city in session.execute(query):
        _, column, article, label = next(s for s in _STEPS if s[0] is application.status)
        due = getattr(application, column.key)
        items.append(
            OverdueItem(application.id, code, name, city, application.status, label, article, due)
        )
    return sorted(items, key=lambda item: item.due_at)
