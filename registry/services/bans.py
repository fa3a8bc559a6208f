"""Three-year bans on applying (Art.19(2), Art.21) and voiding an application for false material."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role, signed_in
from registry.audit import record, snapshot
from registry.enums import Role
from registry.errors import InvalidInput, NotFound
from registry.models.applications import Application
from registry.models.organisations import Ban, Organisation
from registry.rules import active_ban, ban_end
from registry.rules.facts import BanFacts
from registry.services.access import get_application
from registry.services.transitions import fire
from registry.workflow import Event

SHANGHAI = ZoneInfo("Asia/Shanghai")
BAN_ARTICLES = frozenset({"Art.19(2)", "Art.21"})


def ban_organisation(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    organisation_id: int,
    reason: str,
    article: str,
) -> Ban:
    """Ban an organisation from applying for 3 years from today (Art.19(2) or Art.21)."""
    require_role(actor, Role.PROVINCIAL_STAFF, article=article)
    if article not in BAN_ARTICLES:
        raise InvalidInput(
            f"禁止申报的依据应为第十九条第（二）项或第二十一条：{article}",
            code="ban_article_invalid",
            loc=("article",),
        )
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"申报单位不存在：{organisation_id}", loc=("organisation", organisation_id))
    starts_on = now.astimezone(SHANGHAI).date()
    ban = Ban(
        organisation_id=org.id,
        starts_on=starts_on,
        ends_on=ban_end(starts_on),
        reason=reason,
        article=article,
        created_at=now,
        created_by_user_id=signed_in(actor),
    )
    session.add(ban)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="organisation.ban",
        object_type="organisation",
        object_id=org.id,
        after=snapshot(ban, ("starts_on", "ends_on", "reason", "article")),
    )
    return ban


def ban_in_force(*, session: Session, organisation_id: int, on: date) -> BanFacts | None:
    """The ban in force on `on` for the organisation (the one ending last), or None."""
    bans = session.scalars(select(Ban).where(Ban.organisation_id == organisation_id))
    return active_ban(
        bans=[
            BanFacts(starts_on=b.starts_on, ends_on=b.ends_on, reason=b.reason, article=b.article)
            for b in bans
        ],
        on=on,
    )


def void_application(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    reason: str,
    expected_version: int | None = None,
) -> Application:
    """Art.21: false material found — the application is void and the applicant banned 3 years."""
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.21")
    application = get_application(session=session, actor=actor, application_id=application_id)
    fire(
        session=session,
        application=application,
        event=Event.VOID,
        actor=actor,
        now=now,
        note=reason,
        expected_version=expected_version,
    )
    ban_organisation(
        session=session,
        actor=actor,
        now=now,
        organisation_id=application.resource.organisation_id,
        reason=reason,
        article="Art.21",
    )
    return application
