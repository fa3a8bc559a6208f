"""Direct removal (Art.19(2), Art.21): a major accident, a serious-dishonesty listing or false
material removes every library entry of the organisation at once, voids its pending
applications and bans it from applying for three years; for false material (Art.21) the
violation is also referred to the social-credit authority.

Withdrawn entries are removed too when the ground is false material: Art.21 revokes the
certification itself (撤销其认定资格), which a withdrawal did not undo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role, signed_in
from registry.audit import record
from registry.enums import LibraryStatus, Role
from registry.errors import Conflict, InvalidInput, NotFound
from registry.findings import article_zh
from registry.library import VISIBLE
from registry.models.applications import Application
from registry.models.library import LibraryEntry
from registry.models.monitoring import CreditReferral, Removal, RemovalGround, WarningStatus
from registry.models.organisations import Ban, Organisation
from registry.models.resources import Resource
from registry.services.bans import ban_in_force, ban_organisation
from registry.services.library_admin import change_entry_status, close_open_items
from registry.services.transitions import fire
from registry.workflow import OPEN_STATES, EntryEvent, Event

SHANGHAI = ZoneInfo("Asia/Shanghai")
GROUND_ARTICLES = MappingProxyType(
    {
        RemovalGround.MAJOR_ACCIDENT: "Art.19(2)",
        RemovalGround.SERIOUS_DISHONESTY: "Art.19(2)",
        RemovalGround.FALSE_MATERIAL: "Art.21",
    }
)
GROUND_LABELS = MappingProxyType(
    {
        RemovalGround.MAJOR_ACCIDENT: "发生重大安全生产、环境保护、产品质量事故",
        RemovalGround.SERIOUS_DISHONESTY: "被列入严重失信主体名单",
        RemovalGround.FALSE_MATERIAL: "提供虚假材料",
    }
)


@dataclass(frozen=True, slots=True)
class RemovalResult:
    """What one direct removal did."""

    removal: Removal
    removed_codes: tuple[str, ...]
    voided_application_ids: tuple[int, ...]
    ban: Ban
    referral: CreditReferral | None


def remove_organisation(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    organisation_id: int,
    ground: RemovalGround,
    reason: str,
) -> RemovalResult:
    """Remove every entry of the organisation, void its open applications, ban it 3 years."""
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.19(2)")
    ground = _ground(ground)
    article = GROUND_ARTICLES[ground]
    if not reason.strip():
        raise InvalidInput("须说明移出理由", code="reasons_required", article=article,
                           loc=("reason",))  # fmt: skip
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"申报单位不存在：{organisation_id}", code="organisation_not_found",
                       loc=("organisation", organisation_id))  # fmt: skip
    entries, applications = _entries(session, org.id, ground), _open_applications(session, org.id)
    today = now.astimezone(SHANGHAI).date()
    if not (entries or applications) and ban_in_force(session=session, organisation_id=org.id,
                                                      on=today):  # fmt: skip
        raise Conflict(f"{org.name} 已无在库资源和在办申报，且处于禁止申报期内",
                       code="already_removed", article=article)  # fmt: skip
    note = f"{GROUND_LABELS[ground]}（{article_zh(article)}）：{reason.strip()}"
    _take_out(session, actor, now, entries, applications, note=note, article=article)
    ban = ban_organisation(
        session=session, actor=actor, now=now, organisation_id=org.id,
        reason=f"{GROUND_LABELS[ground]}：{reason.strip()}", article=article,
    )  # fmt: skip
    removal = Removal(
        organisation_id=org.id, ground=ground, article=article, reason=reason.strip(),
        removed_codes=[e.resource.code for e in entries],
        voided_application_ids=[a.id for a in applications], ban_id=ban.id, decided_at=now,
        decided_by_user_id=signed_in(actor),
    )  # fmt: skip
    return _recorded(session, actor, now, org, removal, ban)


def _recorded(
    session: Session, actor: Actor, now: datetime, org: Organisation, removal: Removal, ban: Ban
) -> RemovalResult:
    """Store the removal, refer false material to the credit authority, audit it all."""
    session.add(removal)
    session.flush()
    referral = None
    if removal.ground is RemovalGround.FALSE_MATERIAL:
        referral = _refer(session, org, removal, ban, now)
    after = {
        "ground": removal.ground.value,
        "article": removal.article,
        "removed": removal.removed_codes,
        "voided": removal.voided_application_ids,
        "ban_ends_on": ban.ends_on.isoformat(),
        "credit_referral": referral is not None,
    }
    record(session, actor=actor, now=now, action="organisation.remove",
           object_type="organisation", object_id=org.id, after=after)  # fmt: skip
    return RemovalResult(removal, tuple(removal.removed_codes),
                         tuple(removal.voided_application_ids), ban, referral)  # fmt: skip


def _take_out(
    session: Session,
    actor: Actor,
    now: datetime,
    entries: list[LibraryEntry],
    applications: list[Application],
    *,
    note: str,
    article: str,
) -> None:
    """Remove the entries (each audited, each an outbox event) and void the applications."""
    for entry in entries:
        change_entry_status(session=session, actor=actor, now=now, entry=entry,
                            event=EntryEvent.REMOVE, note=note, article=article)  # fmt: skip
        close_open_items(session=session, actor=actor, entry=entry, now=now,
                         warnings_to=WarningStatus.REMOVED, note=note)  # fmt: skip
    for application in applications:
        fire(session=session, application=application, event=Event.VOID, actor=actor, now=now,
             note=note)  # fmt: skip


def _ground(ground: RemovalGround | str) -> RemovalGround:
    try:
        return RemovalGround(ground)
    except ValueError as exc:
        raise InvalidInput(f"未知的移出情形：{ground}", code="removal_ground_invalid",
                           loc=("ground",)) from exc  # fmt: skip


def _entries(session: Session, organisation_id: int, ground: RemovalGround) -> list[LibraryEntry]:
    states = [*VISIBLE]
    if ground is RemovalGround.FALSE_MATERIAL:
        states.append(LibraryStatus.WITHDRAWN)
    query = (
        select(LibraryEntry)
        .join(Resource, LibraryEntry.resource_id == Resource.id)
        .where(Resource.organisation_id == organisation_id, LibraryEntry.status.in_(states))
        .order_by(Resource.code)
    )
    return list(session.scalars(query))


def _open_applications(session: Session, organisation_id: int) -> list[Application]:
    query = (
        select(Application)
        .join(Resource, Application.resource_id == Resource.id)
        .where(Resource.organisation_id == organisation_id, Application.status.in_(OPEN_STATES))
        .order_by(Application.id)
    )
    return list(session.scalars(query))


def _refer(
    session: Session, org: Organisation, removal: Removal, ban: Ban, now: datetime
) -> CreditReferral:
    """Art.21: 将相关违规信息报社会诚信体系建设主管部门 — recorded now, marked sent later."""
    codes = "、".join(removal.removed_codes) or "无"
    referral = CreditReferral(
        organisation_id=org.id, removal_id=removal.id, article="Art.21", created_at=now,
        content=(
            f"{org.name}（统一社会信用代码 {org.uscc}）在赋能资源认定中提供虚假材料："
            f"{removal.reason}。已撤销认定并移出资源库的资源：{codes}；"
            f"自{ban.starts_on.isoformat()}起3年内不得申报（至{ban.ends_on.isoformat()}）。"
        ),
    )  # fmt: skip
    session.add(referral)
    session.flush()
    return referral


def mark_referral_sent(
    *, session: Session, actor: Actor, now: datetime, referral_id: int, reference: str
) -> CreditReferral:
    """Record that a credit referral was sent to the credit authority, with its receipt number."""
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.21")
    referral = session.get(CreditReferral, referral_id)
    if referral is None:
        raise NotFound(f"信用信息报送记录不存在：{referral_id}", code="referral_not_found",
                       loc=("referral", referral_id))  # fmt: skip
    if referral.reported_at is not None:
        raise Conflict("该记录已报送", code="referral_already_sent", article="Art.21")
    if not reference.strip():
        raise InvalidInput("须填写报送文号或回执编号", code="reference_required",
                           loc=("reference",))  # fmt: skip
    referral.reported_at, referral.reported_by_user_id = now, signed_in(actor)
    referral.reference = reference.strip()
    record(session, actor=actor, now=now, action="credit_referral.sent",
           object_type="credit_referral", object_id=referral.id,
           after={"reference": referral.reference})  # fmt: skip
    return referral


def pending_referrals(*, session: Session, actor: Actor) -> list[CreditReferral]:
    """Credit referrals not yet sent, oldest first."""
    require_role(actor, Role.PROVINCIAL_STAFF, Role.ADMIN)
    query = select(CreditReferral).where(CreditReferral.reported_at.is_(None))
    return list(session.scalars(query.order_by(CreditReferral.id)))
