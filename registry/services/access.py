"""Who may see which application: providers their own, cities their own city's, experts only
what is assigned to them (Art.22), provincial staff everything."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_city, require_organisation, require_role
from registry.enums import ApplicationStatus, Role
from registry.errors import NotFound, PermissionDenied
from registry.models.applications import Application
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.models.reviews import ExpertPanel, PanelAssignment
from registry.seed_schema import Route

_READERS = (
    Role.PROVIDER,
    Role.MUNICIPAL_REVIEWER,
    Role.EXPERT,
    Role.PROVINCIAL_STAFF,
    Role.ADMIN,
)


def is_assigned(session: Session, *, expert_id: int | None, application_id: int) -> bool:
    """True when the expert sits on the application's panel."""
    if expert_id is None:
        return False
    found = session.scalar(
        select(PanelAssignment.id)
        .join(ExpertPanel, PanelAssignment.panel_id == ExpertPanel.id)
        .where(ExpertPanel.application_id == application_id, PanelAssignment.expert_id == expert_id)
    )
    return found is not None


def require_assigned(session: Session, actor: Actor, application_id: int) -> None:
    """PermissionDenied(expert_not_assigned) unless the expert is on the application's panel."""
    if not is_assigned(session, expert_id=actor.expert_id, application_id=application_id):
        raise PermissionDenied(
            "专家只能查看和评审分配给本人的申报", code="expert_not_assigned", article="Art.22"
        )


def get_application(*, session: Session, actor: Actor, application_id: int) -> Application:
    """The application if the actor's role and scope allow seeing it."""
    require_role(actor, *_READERS)
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound(f"申报不存在：{application_id}", loc=("application", application_id))
    org = application.resource.organisation
    match actor.role:
        case Role.PROVIDER:
            require_organisation(actor, org.id)
        case Role.MUNICIPAL_REVIEWER:
            if application.route is not Route.MUNICIPAL:
                raise PermissionDenied(
                    "该申报不经地市初审（第十六、十七条）",
                    code="not_municipal_route",
                    article="Art.16",
                )
            require_city(actor, org.city)
        case Role.EXPERT:
            require_assigned(session, actor, application.id)
    return application


def visible_applications(
    *, session: Session, actor: Actor, status: ApplicationStatus | None = None
) -> list[Application]:
    """Applications the actor may see, newest first, optionally in one status."""
    require_role(actor, *_READERS)
    query: Select[Application] = (
        select(Application)
        .join(Resource, Application.resource_id == Resource.id)
        .join(Organisation, Resource.organisation_id == Organisation.id)
    )
    match actor.role:
        case Role.PROVIDER:
            query = query.where(Organisation.id == actor.organisation_id)
        case Role.MUNICIPAL_REVIEWER:
            query = query.where(
                Organisation.city == actor.city,
                Application.route == Route.MUNICIPAL,
                Application.status != ApplicationStatus.DRAFT,
            )
        case Role.EXPERT:
            query = (
                query.join(ExpertPanel, ExpertPanel.application_id == Application.id)
                .join(PanelAssignment, PanelAssignment.panel_id == ExpertPanel.id)
                .where(PanelAssignment.expert_id == actor.expert_id)
            )
    if status is not None:
        query = query.where(Application.status == status)
    return list(session.scalars(query.order_by(Application.id.desc())))
