"""Art.18 annual reports on each backend: filed by 31 March, late ones accepted and marked, the
sweep flags missing ones from 1 April (injected clock), the list for the province and cities."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.errors import Conflict, InvalidInput, PermissionDenied
from registry.models import AnnualReport, MonitoringFlag
from registry.models.monitoring import FlagKind
from registry.services import annual_reports
from registry.services.annual_reports import AnnualReportInput, ReportState
from registry.sweep import SYSTEM, open_flags, run_sweep
from tests.db.factories import at, row_counts
from tests.lifecycle.world import World

pytestmark = pytest.mark.postgres
REPORT = AnnualReportInput(
    promotion="参加3场对接会，新增渠道伙伴5家",
    application_data="新增应用企业12家，平均检出率99.2%",
    technical_updates="发布V3.1，新增小样本缺陷学习",
    enterprises_served=27,
    feedback="用户满意度95%",
)


def file(s: Session, w: World, code: str, n: int, day: tuple[int, ...], year: int = 2025):
    report = annual_reports.file_annual_report(
        session=s,
        actor=w.providers[n].actor,
        now=at(*day),
        resource_code=code,
        year=year,
        data=REPORT,
    )
    s.commit()
    return report


def missing(s: Session) -> list[str]:
    s.expire_all()
    flags = open_flags(session=s, actor=SYSTEM, kind=FlagKind.ANNUAL_REPORT_MISSING)
    return sorted(f.resource_code or "" for f in flags)


def sweep(s: Session, day: tuple[int, int, int]) -> int:
    report = run_sweep(session=s, now=at(*day, 0, 30))
    s.commit()
    assert report.ok, report.errors
    return len([f for f in report.raised if f.kind is FlagKind.ANNUAL_REPORT_MISSING])


def test_deadline_late_filing_and_the_sweep_across_1_april(
    world: World, db_session: Session
) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=2)
    on_time = file(s, world, "AI-001", 1, (2026, 3, 31, 23, 50))
    assert (on_time.due_on, on_time.late) == (date(2026, 3, 31), False)
    assert sweep(s, (2026, 3, 31)) == 0  # the deadline day itself: nothing is missing yet
    assert sweep(s, (2026, 4, 1)) == 1 and missing(s) == ["AI-002"]
    assert sweep(s, (2026, 4, 1)) == 0 and sweep(s, (2026, 4, 2)) == 0  # idempotent
    flag = s.scalars(select(MonitoringFlag)).one()
    assert flag.article == "Art.18" and "未在2026-03-31前报送2025年度报告" in flag.message
    late = file(s, world, "AI-002", 2, (2026, 4, 2, 10))
    assert late.late is True
    assert missing(s) == []  # filing resolves the flag
    statuses = annual_reports.report_statuses(
        session=s, actor=world.staff, now=at(2026, 4, 3), year=2025
    )
    assert [(r.resource_code, r.state) for r in statuses] == [
        ("AI-001", ReportState.FILED),
        ("AI-002", ReportState.FILED_LATE),
    ]


def test_who_owes_a_report_and_who_sees_it(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=2, city="广州市")
    statuses = annual_reports.report_statuses(
        session=s, actor=world.staff, now=at(2026, 3, 1), year=2025
    )
    assert {r.resource_code: r.state for r in statuses} == {
        "AI-001": ReportState.DUE,
        "AI-002": ReportState.DUE,
    }
    # Certified in 2025: no report owed on 2024.
    assert (
        annual_reports.report_statuses(session=s, actor=world.staff, now=at(2026, 3, 1), year=2024)
        == []
    )
    mine = annual_reports.report_statuses(
        session=s, actor=world.providers[2].actor, now=at(2026, 4, 1, 9), year=2025
    )
    assert [(r.resource_code, r.state) for r in mine] == [("AI-002", ReportState.MISSING)]
    city = annual_reports.report_statuses(
        session=s, actor=world.dg_reviewer, now=at(2026, 4, 1, 9), year=2025
    )
    assert [r.resource_code for r in city] == ["AI-001"]


def test_bad_input_leaves_the_database_unchanged(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=2)
    file(s, world, "AI-001", 1, (2026, 3, 2))
    before = row_counts(s)

    def attempt(actor_n: int, code: str, year: int, data: AnnualReportInput = REPORT) -> None:
        annual_reports.file_annual_report(
            session=s,
            actor=world.providers[actor_n].actor,
            now=at(2026, 3, 5),
            resource_code=code,
            year=year,
            data=data,
        )

    cases = [
        (Conflict, "annual_report_exists", lambda: attempt(1, "AI-001", 2025)),
        (InvalidInput, "annual_report_year_invalid", lambda: attempt(2, "AI-002", 2026)),
        (InvalidInput, "annual_report_year_invalid", lambda: attempt(2, "AI-002", 2024)),
        (PermissionDenied, "not_own_organisation", lambda: attempt(1, "AI-002", 2025)),
        (InvalidInput, "annual_report_incomplete", lambda: attempt(
            2, "AI-002", 2025, AnnualReportInput(REPORT.promotion, "", "x", 3, "y"))),
        (InvalidInput, "annual_report_incomplete", lambda: attempt(
            2, "AI-002", 2025, AnnualReportInput("a", "b", "c", -1, "d"))),
        (PermissionDenied, "role_not_allowed", lambda: annual_reports.file_annual_report(
            session=s, actor=world.staff, now=at(2026, 3, 5), resource_code="AI-002",
            year=2025, data=REPORT)),
    ]  # fmt: skip
    for error, code, call in cases:
        with pytest.raises(error) as refused:
            call()
        s.rollback()
        assert refused.value.code == code  # type: ignore[attr-defined]
        if isinstance(refused.value, InvalidInput):
            assert refused.value.article == "Art.18"
        assert row_counts(s) == before
    assert len(s.scalars(select(AnnualReport)).all()) == 1
