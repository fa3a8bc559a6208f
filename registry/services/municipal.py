"""The municipal initial review (Art.13): the city's own applications, within 10 working days."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from registry.actor import Actor, require_city, require_role, signed_in
from registry.enums import MunicipalDecision, Role
from registry.errors import InvalidInput
from registry.models.applications import Application
from registry.models.reviews import MunicipalReview
from registry.services.access import get_application
from registry.services.transitions import fire
from registry.workflow import Event

_EVENTS = {
    MunicipalDecision.RECOMMEND: Event.RECOMMEND,
    MunicipalDecision.RETURN: Event.RETURN_FOR_COMPLETION,
    MunicipalDecision.REJECT: Event.REJECT,
}


def municipal_decide(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    decision: MunicipalDecision,
    reasons: str,
    expected_version: int | None = None,
) -> MunicipalReview:
    """Record the city's opinion and move the application on; reasons are required."""
    require_role(actor, Role.MUNICIPAL_REVIEWER, article="Art.13")
    signed_in(actor)
    application: Application = get_application(
        session=session, actor=actor, application_id=application_id
    )
    city = application.resource.organisation.city
    require_city(actor, city)
    if not reasons.strip():
        raise InvalidInput(
            "初审意见必须说明理由", code="reasons_required", article="Art.13", loc=("reasons",)
        )
    # The transition first: if another reviewer won the race, nothing below is written.
    fire(
        session=session,
        application=application,
        event=_EVENTS[decision],
        actor=actor,
        now=now,
        note=reasons,
        expected_version=expected_version,
    )
    review = MunicipalReview(
        application_id=application.id,
        reviewer_user_id=signed_in(actor),
        city=city,
        decision=decision,
        reasons=reasons,
        decided_at=now,
    )
    session.add(review)
    session.flush()
    return review
