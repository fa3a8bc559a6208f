"""Provincial staff: direct removal of an organisation (Art.19(2), Art.21) — every library
entry removed at once, pending applications voided, a three-year ban on applying, and for
false material a referral to the credit authority — with a preview of exactly what it would
do, and the referrals waiting to be sent."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query
from sqlalchemy.orm import Session

from api.deps import ActorDep, NowDep, SessionDep
from api.routes import api_router
from api.schemas.lifecycle import ReferralRead, ReferralSentCreate, RemovalCreate, RemovalRead
from registry.actor import Actor
from registry.errors import NotFound
from registry.models.monitoring import RemovalGround
from registry.models.organisations import Organisation
from registry.services import removals

router = api_router("/province", "省级管理：入库后管理")
PREVIEW_REASON = "（移出理由）"


def _organisation_name(session: Session, organisation_id: int) -> str:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"申报单位不存在：{organisation_id}", code="organisation_not_found",
                       loc=("organisation", organisation_id))  # fmt: skip
    return org.name


def preview(
    session: Session, actor: Actor, now: datetime, organisation_id: int, ground: RemovalGround
) -> RemovalRead:
    """What removing the organisation now would do: the removal is carried out in the request's
    transaction and rolled back, so the preview is the registry's own answer, never a guess."""
    name = _organisation_name(session, organisation_id)
    try:
        result = removals.remove_organisation(
            session=session, actor=actor, now=now, organisation_id=organisation_id,
            ground=ground, reason=PREVIEW_REASON,
        )  # fmt: skip
        return RemovalRead.of(result, organisation=name, dry_run=True)
    finally:
        session.rollback()


@router.get(
    "/organisations/{organisation_id}/removal-preview",
    name="province.removals.preview",
    summary="直接移出预览：将移出的资源、作废的申报、禁报截止日",
)
def removal_preview(
    organisation_id: int,
    ground: Annotated[RemovalGround, Query(description="移出情形")],
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
) -> RemovalRead:
    """What a direct removal would remove, void and ban until, without changing anything."""
    return preview(session, actor, now, organisation_id, ground)


@router.post(
    "/organisations/{organisation_id}/removal",
    name="province.removals.create",
    summary="直接移出并禁止申报三年（第十九条第（二）项、第二十一条）",
    status_code=201,
)
def remove_organisation(
    organisation_id: int, body: RemovalCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> RemovalRead:
    """Remove every entry of the organisation (gone from search within seconds), void its
    pending applications, ban it for three years; false material is referred for credit."""
    name = _organisation_name(session, organisation_id)
    result = removals.remove_organisation(
        session=session, actor=actor, now=now, organisation_id=organisation_id,
        ground=body.ground, reason=body.reason,
    )  # fmt: skip
    response = RemovalRead.of(result, organisation=name, dry_run=False)
    session.commit()
    return response


@router.get(
    "/credit-referrals", name="province.referrals.list", summary="待报送的信用信息（第二十一条）"
)
def list_referrals(actor: ActorDep, session: SessionDep) -> list[ReferralRead]:
    """Credit referrals not yet sent to the credit authority, oldest first."""
    found = removals.pending_referrals(session=session, actor=actor)
    return [ReferralRead.model_validate(r) for r in found]


@router.post(
    "/credit-referrals/{referral_id}/sent",
    name="province.referrals.sent",
    summary="登记已报送社会信用主管部门",
)
def referral_sent(
    referral_id: int, body: ReferralSentCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> ReferralRead:
    """Record that the referral was sent, with the authority's receipt number."""
    referral = removals.mark_referral_sent(
        session=session, actor=actor, now=now, referral_id=referral_id, reference=body.reference
    )
    result = ReferralRead.model_validate(referral)
    session.commit()
    return result
