"""Direct removal (Art.19(2), Art.21) on each backend: every entry of the organisation out at
once, its open applications void, a 3-year ban the submission refuses with the article and
its end date, a credit referral for false material; refusals leave the database unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import library
from registry.enums import ApplicationStatus
from registry.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from registry.models import Application, CreditReferral, LibraryWarning, WithdrawalRequest
from registry.models.monitoring import RemovalGround as G
from registry.models.monitoring import WarningReason, WarningStatus, WithdrawalStatus
from registry.services import removals, submissions, warnings, withdrawals
from tests.db.factories import at, row_counts
from tests.lifecycle.world import World, audit_actions, outbox

pytestmark = pytest.mark.postgres


def codes(s: Session) -> list[str]:
    s.expire_all()
    return [v.resource_code for v in library.entries(session=s)]


def test_false_material_removes_everything_voids_bans_and_refers(
    world: World, db_session: Session
) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=1, title="离散制造MES系统", keywords=("MES",))
    world.certify("AI-010", n=2)
    open_app = world.submit("AI-003", n=1, now=at(2025, 11, 6))
    warning = warnings.warn_entry(
        session=s,
        actor=world.staff,
        now=at(2025, 11, 7),
        resource_code="AI-002",
        reasons=[WarningReason.POOR_FEEDBACK],
        detail="用户投诉集中",
    )
    request = withdrawals.request_withdrawal(
        session=s,
        actor=world.providers[1].actor,
        now=at(2025, 11, 7),
        resource_code="AI-001",
        reason="业务调整",
    )
    s.commit()
    result = removals.remove_organisation(
        session=s,
        actor=world.staff,
        now=at(2025, 11, 10),
        organisation_id=world.providers[1].organisation_id,
        ground=G.FALSE_MATERIAL,
        reason="经核查，2024年度审计报告系伪造",
    )
    s.commit()
    assert result.removed_codes == ("AI-001", "AI-002")
    assert result.voided_application_ids == (open_app,)
    assert (result.ban.starts_on, result.ban.ends_on) == (date(2025, 11, 10), date(2028, 11, 10))
    assert result.ban.article == "Art.21" and result.removal.article == "Art.21"
    assert codes(s) == ["AI-010"]  # gone from the read model the index uses
    assert outbox(s)[-2:] == [("AI-001", "removed"), ("AI-002", "removed")]
    assert s.get(Application, open_app).status is ApplicationStatus.VOIDED  # type: ignore[union-attr]
    assert s.get(LibraryWarning, warning.id).status is WarningStatus.REMOVED  # type: ignore[union-attr]
    superseded = s.get(WithdrawalRequest, request.id)
    assert superseded is not None and superseded.status is WithdrawalStatus.SUPERSEDED
    referral = s.scalars(select(CreditReferral)).one()
    assert referral.article == "Art.21" and referral.reported_at is None
    assert "AI-001、AI-002" in referral.content and "2028-11-10" in referral.content
    assert audit_actions(s, "organisation.b") == ["organisation.ban"]
    assert audit_actions(s, "organisation.remove") == ["organisation.remove"]
    assert audit_actions(s, "library.remove") == ["library.remove", "library.remove"]
    assert audit_actions(s, "application.void") == ["application.void"]
    sent = removals.mark_referral_sent(
        session=s,
        actor=world.staff,
        now=at(2025, 11, 12),
        referral_id=referral.id,
        reference="粤信用函〔2025〕88号",
    )
    s.commit()
    assert sent.reported_at is not None
    assert removals.pending_referrals(session=s, actor=world.staff) == []


def test_the_ban_refuses_a_submission_with_the_article_and_its_end(
    world: World, db_session: Session
) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    removals.remove_organisation(
        session=s,
        actor=world.staff,
        now=at(2025, 11, 10),
        organisation_id=world.providers[1].organisation_id,
        ground=G.SERIOUS_DISHONESTY,
        reason="列入严重失信主体名单",
    )
    s.commit()
    app_id = world.draft("AI-004", n=1, now=at(2025, 11, 12))
    before = row_counts(s)
    with pytest.raises(RuleViolation) as refused:
        submissions.submit_application(
            session=s,
            actor=world.providers[1].actor,
            now=at(2025, 11, 12),
            application_id=app_id,
            commitment_signed=True,
        )
    s.rollback()
    assert row_counts(s) == before
    banned = [f for f in refused.value.findings if f.code == "art19.banned"]
    assert len(banned) == 1 and banned[0].article == "Art.19(2)"
    assert "2028年11月10日届满" in banned[0].message and "2028年11月11日起" in banned[0].message


@pytest.mark.parametrize(
    ("day", "banned"), [((2028, 11, 10), True), ((2028, 11, 11), False), ((2025, 11, 10), True)]
)
def test_the_three_year_boundary(
    world: World, db_session: Session, day: tuple[int, int, int], banned: bool
) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    removals.remove_organisation(
        session=s,
        actor=world.staff,
        now=at(2025, 11, 10),
        organisation_id=world.providers[1].organisation_id,
        ground=G.MAJOR_ACCIDENT,
        reason="发生重大安全生产事故",
    )
    s.commit()
    app = s.get(Application, world.draft("AI-004", n=1, now=at(2025, 11, 12)))
    assert app is not None
    findings = submissions.check_application(
        session=s, application=app, submitted_at=at(*day), commitment_signed=True
    )
    assert any(f.code == "art19.banned" for f in findings) is banned


def test_a_ban_decided_on_29_february_ends_on_28_february(
    world: World, db_session: Session
) -> None:
    world.certify("AI-001", n=1)
    result = removals.remove_organisation(
        session=db_session,
        actor=world.staff,
        now=at(2028, 2, 29),
        organisation_id=world.providers[1].organisation_id,
        ground=G.MAJOR_ACCIDENT,
        reason="重大产品质量事故",
    )
    assert result.ban.ends_on == date(2031, 2, 28) and result.referral is None


def test_refusals_leave_the_database_unchanged(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    org = world.providers[1].organisation_id
    before = row_counts(s)
    cases = [
        (
            PermissionDenied,
            "role_not_allowed",
            world.providers[1].actor,
            org,
            G.MAJOR_ACCIDENT,
            "x",
        ),
        (InvalidInput, "removal_ground_invalid", world.staff, org, "fire", "x"),
        (InvalidInput, "reasons_required", world.staff, org, G.MAJOR_ACCIDENT, "  "),
        (NotFound, "organisation_not_found", world.staff, 9999, G.MAJOR_ACCIDENT, "x"),
    ]
    for error, code, actor, organisation_id, ground, reason in cases:
        with pytest.raises(error) as refused:
            removals.remove_organisation(
                session=s,
                actor=actor,
                now=at(2025, 11, 10),
                organisation_id=organisation_id,
                ground=ground,
                reason=reason,  # type: ignore[arg-type]
            )
        s.rollback()
        assert refused.value.code == code  # type: ignore[attr-defined]
        assert row_counts(s) == before
    removals.remove_organisation(
        session=s,
        actor=world.staff,
        now=at(2025, 11, 10),
        organisation_id=org,
        ground=G.MAJOR_ACCIDENT,
        reason="重大事故",
    )
    s.commit()
    before = row_counts(s)
    with pytest.raises(Conflict) as again:
        removals.remove_organisation(
            session=s,
            actor=world.staff,
            now=at(2025, 11, 11),
            organisation_id=org,
            ground=G.MAJOR_ACCIDENT,
            reason="重复处理",
        )
    s.rollback()
    assert again.value.code == "already_removed" and row_counts(s) == before


def test_false_material_also_revokes_a_withdrawn_entry(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=1, title="离散制造MES系统", keywords=("MES",))
    request = withdrawals.request_withdrawal(
        session=s,
        actor=world.providers[1].actor,
        now=at(2025, 11, 6),
        resource_code="AI-001",
        reason="业务调整",
    )
    withdrawals.forward_withdrawal(
        session=s,
        actor=world.dg_reviewer,
        now=at(2025, 11, 7),
        request_id=request.id,
        opinion="同意转报",
    )
    withdrawals.approve_withdrawal(
        session=s, actor=world.staff, now=at(2025, 11, 8), request_id=request.id, note="同意退出"
    )
    s.commit()
    accident = removals.remove_organisation(
        session=s,
        actor=world.staff,
        now=at(2025, 11, 10),
        organisation_id=world.providers[1].organisation_id,
        ground=G.MAJOR_ACCIDENT,
        reason="重大事故",
    )
    s.rollback()  # an accident leaves the withdrawn entry as it is ...
    assert accident.removed_codes == ("AI-002",)
    falsified = removals.remove_organisation(
        session=s,
        actor=world.staff,
        now=at(2025, 11, 10),
        organisation_id=world.providers[1].organisation_id,
        ground=G.FALSE_MATERIAL,
        reason="材料造假",
    )
    s.commit()  # ... false material revokes the certification itself (Art.21)
    assert falsified.removed_codes == ("AI-001", "AI-002")
    assert codes(s) == []
    assert outbox(s)[-3:] == [("AI-001", "withdrawn"), ("AI-001", "removed"), ("AI-002", "removed")]
