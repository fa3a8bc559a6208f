"""The daily sweep on each backend with an injected clock: review steps overdue across the
National Day week (working days, make-up days), warnings past their six months, bans that
ended; idempotent, audited, resolved when the condition goes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.enums import MunicipalDecision
from registry.models import MonitoringFlag, Notification
from registry.models.monitoring import FlagKind, RemovalGround, WarningReason
from registry.services import batches, municipal, removals, submissions, warnings
from registry.sweep import SweepReport, run_sweep
from tests.db.factories import add_provider_resource, at
from tests.lifecycle.world import World, audit_actions

pytestmark = pytest.mark.postgres


def sweep(s: Session, day: tuple[int, int, int]) -> SweepReport:
    report = run_sweep(session=s, now=at(*day, 0, 30))
    s.commit()
    assert report.ok, report.errors
    return report


def raised(report: SweepReport, kind: FlagKind) -> list[str]:
    return [f.key for f in report.raised if f.kind is kind]


def resolved(report: SweepReport, kind: FlagKind) -> list[str]:
    return [f.key for f in report.resolved if f.kind is kind]


def test_a_municipal_review_received_before_national_day(world: World, db_session: Session) -> None:
    s = db_session
    batches.create_batch(
        session=s,
        actor=world.staff,
        now=at(2025, 6, 20),
        code="2025Q3",
        title="2025年第三季度",
        opens_on=date(2025, 7, 1),
        deadline_on=date(2025, 9, 30),
    )
    s.commit()
    provider, _, _, app_id = add_provider_resource(
        s, world.store, at(2025, 9, 1), n=7, batch="2025Q3"
    )
    # Sunday 28 September 2025 is a make-up working day; 1-8 October are off; Saturday
    # 11 October is a make-up day: the 10 working days end on Friday 17 October.
    submissions.submit_application(
        session=s,
        actor=provider,
        now=at(2025, 9, 28),
        application_id=app_id,
        commitment_signed=True,
    )
    s.commit()
    assert raised(sweep(s, (2025, 10, 17)), FlagKind.REVIEW_OVERDUE) == []
    overdue = sweep(s, (2025, 10, 18))
    key = f"application:{app_id}:municipal_review:2025-10-17"
    assert raised(overdue, FlagKind.REVIEW_OVERDUE) == [key]
    flag = s.scalars(select(MonitoringFlag).where(MonitoringFlag.key == key)).one()
    assert (flag.city, flag.article) == ("广州市", "Art.13")
    assert sweep(s, (2025, 10, 19)).raised == []  # idempotent
    municipal.municipal_decide(
        session=s,
        actor=world.gz_reviewer,
        now=at(2025, 10, 20),
        application_id=app_id,
        decision=MunicipalDecision.RECOMMEND,
        reasons="同意推荐",
    )
    s.commit()
    after = sweep(s, (2025, 10, 21))
    assert resolved(after, FlagKind.REVIEW_OVERDUE) == [key] and after.raised == []
    assert audit_actions(s, "sweep.") == ["sweep.flag_raised", "sweep.flag_resolved"]


def test_a_warning_past_its_six_months(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    warning = warnings.warn_entry(
        session=s,
        actor=world.staff,
        now=at(2025, 12, 31),
        resource_code="AI-001",
        reasons=[WarningReason.OUTDATED],
        detail="核心算法多年未更新",
    )
    s.commit()
    assert raised(sweep(s, (2026, 6, 30)), FlagKind.WARNING_OVERDUE) == []  # the last day
    assert raised(sweep(s, (2026, 7, 1)), FlagKind.WARNING_OVERDUE) == [
        f"warning:{warning.id}:open"
    ]
    warnings.submit_rectification(
        session=s,
        actor=world.providers[1].actor,
        now=at(2026, 7, 2),
        warning_id=warning.id,
        rectification="已发布新版本",
    )
    s.commit()
    report = sweep(s, (2026, 7, 3))
    assert resolved(report, FlagKind.WARNING_OVERDUE) == [f"warning:{warning.id}:open"]
    assert raised(report, FlagKind.WARNING_OVERDUE) == [f"warning:{warning.id}:rectified"]
    warnings.close_warning(
        session=s, actor=world.staff, now=at(2026, 7, 6), warning_id=warning.id, note="整改合格"
    )
    s.commit()
    report = sweep(s, (2026, 7, 7))
    assert resolved(report, FlagKind.WARNING_OVERDUE) == [f"warning:{warning.id}:rectified"]
    assert report.open_counts[FlagKind.WARNING_OVERDUE] == 0


def test_a_ban_that_ended_is_told_once(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    result = removals.remove_organisation(
        session=s,
        actor=world.staff,
        now=at(2025, 11, 10),
        organisation_id=world.providers[1].organisation_id,
        ground=RemovalGround.MAJOR_ACCIDENT,
        reason="重大安全生产事故",
    )
    s.commit()
    assert raised(sweep(s, (2028, 11, 10)), FlagKind.BAN_ENDED) == []  # its last day
    ended = sweep(s, (2028, 11, 11))
    assert raised(ended, FlagKind.BAN_ENDED) == [f"ban:{result.ban.id}"]
    assert ended.open_counts[FlagKind.BAN_ENDED] == 0  # a notice, nothing to do
    assert sweep(s, (2028, 11, 12)).raised == []
    told = s.scalars(select(Notification.message).where(Notification.application_id.is_(None)))
    assert [m for m in told if "2028-11-10届满" in m] != []


def test_a_year_without_holiday_data_is_reported_and_the_other_checks_run(
    world: World, db_session: Session
) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    warnings.warn_entry(
        session=s,
        actor=world.staff,
        now=at(2026, 1, 5),
        resource_code="AI-001",
        reasons=[WarningReason.OUTDATED],
        detail="核心算法多年未更新",
    )
    s.commit()
    # April 2027: the 2026 report is due 31 March 2027, a year chinese-calendar does not cover.
    report = run_sweep(session=s, now=at(2027, 4, 1, 0, 30))
    s.commit()
    assert not report.ok and "calendar_not_covered" in report.errors[0]
    assert raised(report, FlagKind.WARNING_OVERDUE) != []  # the warnings check still ran
